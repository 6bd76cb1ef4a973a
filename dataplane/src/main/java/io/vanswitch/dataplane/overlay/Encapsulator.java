package io.vanswitch.dataplane.overlay;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.frame.NetworkOrder;
import org.agrona.UnsafeApi;

/**
 * Encapsulation in place (docs/wire-format.md): the outer headers and the VAN header go into the
 * mbuf's headroom in front of the tenant frame, from the edge's template; per frame only the
 * lengths, the IPv4 checksum and the UDP source port (a hash of the inner flow) are computed.
 * <p>
 * The one rewrite every frame to another host goes through, so it works on native addresses
 * directly (as MbufFlyweight does) rather than through buffer flyweights: a dozen stores and a few
 * loads, with nothing for the JIT to reload between them. Unsafe stores in the platform's order,
 * so network-order fields go through NetworkOrder.
 */
public final class Encapsulator
{
    public static final int OVERHEAD = RemoteEdge.OUTER_LENGTH + VanHeaderFlyweight.HEADER_LENGTH;
    private static final int UDP_SOURCE_PORT_OFFSET = 14 + 20;
    private static final int VAN_HEADER_OFFSET = RemoteEdge.OUTER_LENGTH;

    private final MbufFlyweight mbuf = new MbufFlyweight();

    /** Result: encapsulated. */
    public static final int OK = 0;
    /** Result: the tenant frame is larger than the underlay MTU allows. */
    public static final int OVERSIZE = 1;
    /** Result: no room in front of the frame (or a chained mbuf). */
    public static final int NO_HEADROOM = 2;

    /**
     * @return OK, OVERSIZE or NO_HEADROOM; on failure the mbuf is unchanged.
     */
    public int encapsulate(
        final long mbufAddress, final RemoteEdge edge, final int type, final int sourceVanId, final int destinationVanId,
        final int maxInnerFrame)
    {
        final MbufFlyweight mbuf = this.mbuf.wrap(mbufAddress);
        final int innerLength = mbuf.pktLen();
        if (innerLength > maxInnerFrame)
        {
            return OVERSIZE;
        }
        if (mbuf.dataOff() < OVERHEAD || mbuf.nbSegs() != 1)
        {
            return NO_HEADROOM;
        }
        final int flowHash = flowHash(mbuf.dataAddress(), mbuf.dataLen());
        mbuf.adjustStart(-OVERHEAD);
        final long outer = mbuf.dataAddress();
        final int ipLength = 20 + 8 + VanHeaderFlyweight.HEADER_LENGTH + innerLength;
        edge.writeOuter(outer, ipLength);
        // ECMP entropy, as VXLAN does: a source port in 49152..65535 from the inner flow
        UnsafeApi.putShort(outer + UDP_SOURCE_PORT_OFFSET, NetworkOrder.swap16((short)(0xC000 | (flowHash & 0x3FFF))));
        VanHeaderFlyweight.writeAt(outer + VAN_HEADER_OFFSET, type, sourceVanId, destinationVanId);
        return OK;
    }

    /**
     * Mixes the inner flow: MACs and EtherType, and for IPv4 the addresses and protocol, and the
     * ports of TCP and UDP (when the header has no options), so that flows between two VMs spread
     * over the underlay's paths as VXLAN's do. The words are read in the platform's order: only
     * their mix matters.
     */
    private static int flowHash(final long inner, final int innerLength)
    {
        long h = UnsafeApi.getLong(inner) * 0x9E37_79B9_7F4A_7C15L;
        h ^= (UnsafeApi.getInt(inner + 8) & 0xFFFF_FFFFL) * 0xC2B2_AE3D_27D4_EB4FL;
        final short etherType = UnsafeApi.getShort(inner + 12);
        h ^= etherType;
        if (innerLength >= 34 && NetworkOrder.swap16(etherType) == 0x0800)
        {
            h = (h ^ UnsafeApi.getLong(inner + 26)) * 0x9E37_79B9_7F4A_7C15L;
            final int protocol = UnsafeApi.getByte(inner + 23);
            if (innerLength >= 38 && UnsafeApi.getByte(inner + 14) == 0x45 && (protocol == 6 || protocol == 17))
            {
                h = (h ^ (UnsafeApi.getInt(inner + 34) & 0xFFFF_FFFFL)) * 0xC2B2_AE3D_27D4_EB4FL;
            }
        }
        return (int)(h ^ (h >>> 29) ^ (h >>> 47));
    }
}
