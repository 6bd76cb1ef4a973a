package io.vanswitch.dataplane.overlay;

/**
 * A peer host's edge bridge as the packet path knows it: its underlay address and the outer
 * headers every frame to it starts with, built once by the control thread (docs/wire-format.md).
 *
 * @param index    dense index in [0, OverlayTopology.MAX_EDGES): forwarding entries point at it.
 * @param ip       the peer's underlay IPv4 address.
 * @param template outer Ethernet (this host's MAC to the next hop's), IPv4 (lengths and checksum
 *                 zero: set per frame) and UDP (source port zero, destination the VAN port).
 */
public record RemoteEdge(int index, int ip, byte[] template)
{
    public static final int OUTER_LENGTH = 14 + 20 + 8;

    public RemoteEdge
    {
        if (template.length != OUTER_LENGTH)
        {
            throw new IllegalArgumentException("outer header template must be " + OUTER_LENGTH + " bytes");
        }
    }
}
