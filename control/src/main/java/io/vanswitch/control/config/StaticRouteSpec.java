package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;

/**
 * An operator's remote route: this MAC of this VAN lives behind this site peer, whatever the
 * signals say (for nodes whose host does not signal, and for benchmarks).
 */
public record StaticRouteSpec(int vanId, long mac, int peer)
{
    public StaticRouteSpec
    {
        VanSpec.checkId(vanId);
        if (MacAddress.isGroup(mac) || MacAddress.isZero(mac))
        {
            throw new IllegalArgumentException("bad MAC " + MacAddress.format(mac) + " for a static route: must be unicast and non-zero");
        }
        if (!Ipv4Address.isHost(peer))
        {
            throw new IllegalArgumentException("bad peer " + Ipv4Address.format(peer) + " for a static route");
        }
    }

    public static StaticRouteSpec fromRequest(final ControlMessage request)
    {
        final String mac = request.get("mac");
        final String peer = request.get("peer");
        if (null == mac || null == peer)
        {
            throw new IllegalArgumentException("a static route needs --van, --mac and --peer");
        }
        return new StaticRouteSpec(VanSpec.parseId(request.get("van")), MacAddress.parse(mac), Ipv4Address.parse(peer));
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("fdb-add", "van", Integer.toString(vanId), "mac", MacAddress.format(mac), "peer", Ipv4Address.format(peer));
    }
}
