package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;

/**
 * A VAN ID translation across one peering: this site's VAN {@code localVan} is the peer site's
 * {@code remoteVan}. Only mapped VANs cross; each site sees only its own ids.
 */
public record ProxyMapSpec(String peer, int localVan, int remoteVan)
{
    public ProxyMapSpec
    {
        VanSpec.checkId(localVan);
        VanSpec.checkId(remoteVan);
    }

    public static ProxyMapSpec fromRequest(final ControlMessage request)
    {
        final String peer = request.get("name");
        if (null == peer)
        {
            throw new IllegalArgumentException("missing peer proxy name");
        }
        return new ProxyMapSpec(peer, VanSpec.parseId(request.get("local-van")), VanSpec.parseId(request.get("remote-van")));
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("proxy-map", "name", peer, "local-van", Integer.toString(localVan), "remote-van", Integer.toString(remoteVan));
    }
}
