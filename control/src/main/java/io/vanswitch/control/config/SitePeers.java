package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;

/**
 * The site's peer hosts, given once (paper IV-C: the broadcast domain by multi-unicast where there
 * is no underlay multicast): each gets this host's ANNOUNCE, and which of them serve which VAN then
 * follows automatically.
 */
public final class SitePeers
{
    private SitePeers()
    {
    }

    public static int parse(final String text)
    {
        if (null == text)
        {
            throw new IllegalArgumentException("missing site peer address");
        }
        final int ip = Ipv4Address.parse(text);
        if (!Ipv4Address.isHost(ip))
        {
            throw new IllegalArgumentException("bad site peer " + text + ": a host address");
        }
        return ip;
    }

    public static ControlMessage toRequest(final int ip)
    {
        return ControlMessage.of("site-peer-add", "ip", Ipv4Address.format(ip));
    }
}
