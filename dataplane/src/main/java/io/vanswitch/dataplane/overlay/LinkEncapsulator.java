package io.vanswitch.dataplane.overlay;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.federation.FrameSealer;
import io.vanswitch.dataplane.federation.SealedHeaderFlyweight;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;


/**
 * Encapsulation towards a peer proxy, in place (docs/federation.md): the VAN header (with the VAN
 * ids translated) goes in front of the tenant frame, the sealer encrypts both and appends the tag,
 * and the outer Ethernet/IPv4/UDP headers from the link's template go in front of the sealed header.
 *
 * <pre>
 *   | outer 42 | sealed header 12 | VAN header 12 | tenant frame | tag 16 |
 *                                 |<------- encrypted ---------->|
 * </pre>
 */
public final class LinkEncapsulator
{
    public static final int HEADROOM = RemoteEdge.OUTER_LENGTH + SealedHeaderFlyweight.HEADER_LENGTH + VanHeaderFlyweight.HEADER_LENGTH;
    public static final int OVERHEAD = HEADROOM + SealedHeaderFlyweight.TAG_LENGTH;

    public static final int OK = 0;
    public static final int OVERSIZE = 1;
    public static final int NO_HEADROOM = 2;
    /** The sealer has no key yet (or is exhausted): the control thread rotates. */
    public static final int NO_KEY = 3;

    private final MbufFlyweight mbuf = new MbufFlyweight();

    /**
     * @return OK, OVERSIZE, NO_HEADROOM or NO_KEY; the frame is unusable after NO_KEY (the caller frees it).
     */
    public int encapsulate(
        final long mbufAddress, final RemoteEdge link, final int type, final int sourceVanId, final int destinationVanId,
        final FrameSealer sealer, final int maxInnerFrame)
    {
        mbuf.wrap(mbufAddress);
        final int innerLength = mbuf.pktLen();
        if (innerLength > maxInnerFrame)
        {
            return OVERSIZE;
        }
        if (null == sealer)
        {
            return NO_KEY;
        }
        if (mbuf.dataOff() < HEADROOM || mbuf.nbSegs() != 1 ||
            mbuf.bufLen() - mbuf.dataOff() - innerLength < SealedHeaderFlyweight.TAG_LENGTH)
        {
            return NO_HEADROOM;
        }
        mbuf.adjustStart(-VanHeaderFlyweight.HEADER_LENGTH);
        VanHeaderFlyweight.writeAt(mbuf.dataAddress(), type, sourceVanId, destinationVanId);
        final int sealedLength = sealer.seal(
            mbuf.dataAddress() - SealedHeaderFlyweight.HEADER_LENGTH, VanHeaderFlyweight.HEADER_LENGTH + innerLength);
        if (sealedLength < 0)
        {
            return NO_KEY;
        }
        mbuf.adjustStart(-(SealedHeaderFlyweight.HEADER_LENGTH + RemoteEdge.OUTER_LENGTH));
        mbuf.length(RemoteEdge.OUTER_LENGTH + sealedLength);
        // the template's UDP source port (the proxy port) stays: one flow per proxy pair, no entropy to give
        link.writeOuter(mbuf.dataAddress(), 20 + 8 + sealedLength);
        return OK;
    }
}
