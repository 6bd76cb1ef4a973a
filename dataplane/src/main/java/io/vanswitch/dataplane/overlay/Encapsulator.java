package io.vanswitch.dataplane.overlay;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Encapsulation in place (docs/wire-format.md): the outer headers and the VAN header go into the
 * mbuf's headroom in front of the tenant frame, from the edge's template; per frame only the
 * lengths, the IPv4 checksum and the UDP source port (a hash of the inner flow) are computed.
 */
public final class Encapsulator
{
    public static final int OVERHEAD = RemoteEdge.OUTER_LENGTH + VanHeaderFlyweight.HEADER_LENGTH;
    private static final int IP_OFFSET = 14;
    private static final int UDP_OFFSET = IP_OFFSET + 20;

    private final MbufFlyweight mbuf = new MbufFlyweight();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final VanHeaderFlyweight vanHeader = new VanHeaderFlyweight();

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
        mbuf.wrap(mbufAddress);
        final int innerLength = mbuf.pktLen();
        if (innerLength > maxInnerFrame)
        {
            return OVERSIZE;
        }
        if (mbuf.dataOff() < OVERHEAD || mbuf.nbSegs() != 1)
        {
            return NO_HEADROOM;
        }
        final int flowHash = flowHash(mbuf.dataAddress());
        mbuf.adjustStart(-OVERHEAD);
        frame.wrap(mbuf.dataAddress(), OVERHEAD);
        final int ipLength = 20 + 8 + VanHeaderFlyweight.HEADER_LENGTH + innerLength;
        edge.writeOuter(frame, ipLength);
        // ECMP entropy, as VXLAN does: a source port in 49152..65535 from the inner flow
        frame.putShort(UDP_OFFSET, (short)(0xC000 | (flowHash & 0x3FFF)), ByteOrder.BIG_ENDIAN);
        vanHeader.wrap(frame, RemoteEdge.OUTER_LENGTH).write(type, 0, sourceVanId & 0xFFFF_FFFFL, destinationVanId & 0xFFFF_FFFFL);
        return OK;
    }

    /**
     * Mixes the inner flow: MACs and EtherType, and for IPv4 the addresses and protocol, and the
     * ports of TCP and UDP (when the header has no options), so that flows between two VMs spread
     * over the underlay's paths as VXLAN's do.
     */
    private int flowHash(final long innerAddress)
    {
        final int innerLength = mbuf.dataLen();
        frame.wrap(innerAddress, Math.min(innerLength, 38));
        long h = frame.getLong(0) * 0x9E37_79B9_7F4A_7C15L;
        h ^= (frame.getInt(8) & 0xFFFF_FFFFL) * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= frame.getShort(12);
        if (innerLength >= 34 && frame.getShort(12, ByteOrder.BIG_ENDIAN) == 0x0800)
        {
            h = (h ^ frame.getLong(26)) * 0x9E37_79B9_7F4A_7C15L;
            final int protocol = frame.getByte(23);
            if (innerLength >= 38 && frame.getByte(14) == 0x45 && (protocol == 6 || protocol == 17))
            {
                h = (h ^ (frame.getInt(34) & 0xFFFF_FFFFL)) * 0xC2B2_AE3D_27D4_EB4FL;
            }
        }
        return (int)(h ^ (h >>> 29) ^ (h >>> 47));
    }
}
