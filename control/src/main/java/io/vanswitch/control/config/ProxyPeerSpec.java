package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;

/**
 * A peer site's proxy: a name (the operator's, used by {@code proxy map}) and its public address and
 * proxy port.
 */
public record ProxyPeerSpec(String name, int ip, int port)
{
    public ProxyPeerSpec
    {
        if (null == name || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}"))
        {
            throw new IllegalArgumentException("bad peer proxy name '" + ControlMessage.printable(String.valueOf(name)) +
                "': 1-32 letters, digits, '.', '_' or '-'");
        }
        if (!Ipv4Address.isHost(ip))
        {
            throw new IllegalArgumentException("bad peer proxy address " + Ipv4Address.format(ip) + ": a host address");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("bad peer proxy port " + port + ": 1..65535");
        }
    }

    /** @param request with name and address (IP or IP:PORT). */
    public static ProxyPeerSpec fromRequest(final ControlMessage request)
    {
        if (null == request.get("name"))
        {
            throw new IllegalArgumentException("missing peer proxy name");
        }
        final String address = request.get("address");
        if (null == address)
        {
            throw new IllegalArgumentException("missing peer proxy address: give --address IP[:PORT]");
        }
        final int colon = address.indexOf(':');
        int port = ProxySpec.DEFAULT_PORT;
        if (colon >= 0)
        {
            try
            {
                port = Integer.parseInt(address.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("bad peer proxy address '" + ControlMessage.printable(address) + "': IP[:PORT]");
            }
        }
        return new ProxyPeerSpec(request.get("name"), Ipv4Address.parse(colon >= 0 ? address.substring(0, colon) : address), port);
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("proxy-peer-add", "name", name, "address", Ipv4Address.format(ip) + ":" + port);
    }
}
