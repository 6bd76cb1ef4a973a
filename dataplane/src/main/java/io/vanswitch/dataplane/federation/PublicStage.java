package io.vanswitch.dataplane.federation;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.overlay.DecapStage;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.pipeline.Burst;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PacketIo;
import io.vanswitch.dataplane.pipeline.TxQueues;
import io.vanswitch.dataplane.pmd.PmdCounters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * What a proxy's public port receives: sealed data from a peer proxy (IPv4/UDP to the proxy port
 * at the public address) is opened in place (authenticated, replay-checked) and handed to the
 * decapsulation stage as coming over that link; everything else (ARP, the TLS sessions' TCP, ping)
 * goes to the kernel interface behind the port, whose replies come back through
 * {@link #fromKernel(Burst, ForwardingTopology)}. Nothing is parsed beyond what this needs.
 */
public final class PublicStage
{
    private static final int ETHER_TYPE_OFFSET = 12;
    private static final int IP_OFFSET = 14;
    private static final int IP_FLAGS_OFFSET = IP_OFFSET + 6;
    private static final int IP_PROTOCOL_OFFSET = IP_OFFSET + 9;
    private static final int IP_SOURCE_OFFSET = IP_OFFSET + 12;
    private static final int IP_DESTINATION_OFFSET = IP_OFFSET + 16;
    private static final int UDP_OFFSET = IP_OFFSET + 20;
    private static final int PAYLOAD_OFFSET = UDP_OFFSET + 8;
    private static final int MIN_SEALED_FRAME = PAYLOAD_OFFSET + SealedHeaderFlyweight.HEADER_LENGTH + SealedHeaderFlyweight.TAG_LENGTH;

    private final PacketIo io;
    private final PmdCounters counters;
    private final TxQueues txQueues;
    private final LinkKeys linkKeys;
    private final DecapStage decapStage;
    private final MbufFlyweight mbuf = new MbufFlyweight();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer freeArray = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Burst.MAX * Long.BYTES, 64));

    public PublicStage(
        final PacketIo io, final PmdCounters counters, final TxQueues txQueues, final LinkKeys linkKeys, final DecapStage decapStage)
    {
        this.io = io;
        this.counters = counters;
        this.txQueues = txQueues;
        this.linkKeys = linkKeys;
        this.decapStage = decapStage;
    }

    /**
     * @param burst what the public port received.
     */
    public void process(final Burst burst, final ForwardingTopology topology)
    {
        final FederationBinding federation = topology.federation();
        final OverlayTopology overlay = topology.overlay();
        final int count = burst.count();
        int toFree = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            final long address = burst.mbuf(i);
            mbuf.wrap(address);
            final int length = mbuf.dataLen();
            bytes += mbuf.pktLen();
            frame.wrap(mbuf.dataAddress(), length);
            if (null == federation || !isSealedData(frame, length, federation))
            {
                if (null != federation && null != federation.puntPort())
                {
                    counters.addUnderlay(PmdCounters.PUBLIC_PUNTED, 1);
                    txQueues.enqueue(federation.puntPort(), address, mbuf.pktLen());
                }
                else
                {
                    freeArray.putLong(toFree++ * Long.BYTES, address);
                }
                continue;
            }
            final int linkEdge = overlay.linkEdgeIndex(frame.getInt(IP_SOURCE_OFFSET, ByteOrder.BIG_ENDIAN));
            if (linkEdge == OverlayTopology.MISSING)
            {
                counters.addUnderlay(PmdCounters.PUBLIC_UNKNOWN_SENDER, 1);
                freeArray.putLong(toFree++ * Long.BYTES, address);
                continue;
            }
            final int link = overlay.edge(linkEdge).linkNumber();
            counters.addLink(link, PmdCounters.LINK_RX_PACKETS, 1);
            counters.addLink(link, PmdCounters.LINK_RX_BYTES, length);
            final int udpLength = frame.getShort(UDP_OFFSET + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int sealedLength = Math.min(udpLength - 8, length - PAYLOAD_OFFSET);
            final FrameOpener opener = linkKeys.opener(link);
            final int opened = null == opener ? FrameOpener.UNKNOWN_KEY : opener.open(frame.addressOffset() + PAYLOAD_OFFSET, sealedLength);
            if (opened < 0)
            {
                counters.addLink(link, PmdCounters.LINK_OPEN_FAILED_BASE - opened, 1);
                freeArray.putLong(toFree++ * Long.BYTES, address);
                continue;
            }
            decapStage.processFromLink(
                address, frame, PAYLOAD_OFFSET + SealedHeaderFlyweight.HEADER_LENGTH, opened, linkEdge, link, topology);
        }
        counters.addPort(PmdCounters.PUBLIC_SLOT, PmdCounters.PORT_RX_PACKETS, count);
        counters.addPort(PmdCounters.PUBLIC_SLOT, PmdCounters.PORT_RX_BYTES, bytes);
        if (toFree > 0)
        {
            io.freeBulk(freeArray.addressOffset(), toFree);
        }
    }

    /** What the kernel interface sends (ARP, the sessions, ping replies) leaves by the public port. */
    public void fromKernel(final Burst burst, final ForwardingTopology topology)
    {
        final FederationBinding federation = topology.federation();
        final int count = burst.count();
        counters.addPort(PmdCounters.PUNT_SLOT, PmdCounters.PORT_RX_PACKETS, count);
        for (int i = 0; i < count; i++)
        {
            final long address = burst.mbuf(i);
            if (null == federation)
            {
                io.free(address);
                continue;
            }
            counters.addUnderlay(PmdCounters.PUBLIC_FROM_KERNEL, 1);
            txQueues.enqueue(federation.publicPort(), address, mbuf.wrap(address).pktLen());
        }
    }

    private static boolean isSealedData(final UnsafeBuffer frame, final int length, final FederationBinding federation)
    {
        return length >= MIN_SEALED_FRAME &&
            frame.getShort(ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) == 0x0800 &&
            frame.getByte(IP_OFFSET) == 0x45 &&
            frame.getByte(IP_PROTOCOL_OFFSET) == 17 &&
            (frame.getShort(IP_FLAGS_OFFSET, ByteOrder.BIG_ENDIAN) & 0x3FFF) == 0 &&
            frame.getInt(IP_DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN) == federation.ip() &&
            (frame.getShort(UDP_OFFSET + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) == federation.udpPort();
    }
}
