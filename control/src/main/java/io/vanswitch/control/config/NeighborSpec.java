package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;

/**
 * A static underlay neighbour: the MAC to use for a peer host (or gateway) IP, overriding ARP.
 */
public record NeighborSpec(int ip, long mac)
{
    public NeighborSpec
    {
        if (!Ipv4Address.isHost(ip))
        {
            throw new IllegalArgumentException("bad neighbour address " + Ipv4Address.format(ip) + ": a host address");
        }
        if (MacAddress.isGroup(mac) || MacAddress.isZero(mac))
        {
            throw new IllegalArgumentException("bad neighbour MAC " + MacAddress.format(mac) + ": must be unicast and non-zero");
        }
    }

    public static NeighborSpec fromRequest(final ControlMessage request)
    {
        final String ip = request.get("ip");
        final String mac = request.get("mac");
        if (null == ip || null == mac)
        {
            throw new IllegalArgumentException("a neighbour needs an IP and a MAC");
        }
        return new NeighborSpec(Ipv4Address.parse(ip), MacAddress.parse(mac));
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("neigh-add", "ip", Ipv4Address.format(ip), "mac", MacAddress.format(mac));
    }
}
