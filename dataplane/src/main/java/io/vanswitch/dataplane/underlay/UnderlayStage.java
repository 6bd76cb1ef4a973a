package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.overlay.DecapStage;
import io.vanswitch.dataplane.pipeline.Burst;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PacketIo;
import io.vanswitch.dataplane.pipeline.TxQueues;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.pmd.LearnEventRing;
import io.vanswitch.dataplane.pmd.PmdCounters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the underlay port receives, frame by frame: the host's own business (ARP and ping for its
 * underlay address, answered in place and sent back), neighbours seen in ARP (reported to the
 * control thread), and overlay datagrams. Everything else is counted by kind and freed.
 */
public final class UnderlayStage
{
    private final UnderlayBinding underlay;
    private final HostResponder responder;
    private final PacketIo io;
    private final PmdCounters counters;
    private final LearnEventRing events;
    private final TxQueues txQueues;
    private final MbufFlyweight mbuf = new MbufFlyweight();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final DecapStage decapStage;
    private final UnsafeBuffer freeArray = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Burst.MAX * Long.BYTES, 64));

    public UnderlayStage(
        final UnderlayBinding underlay,
        final PacketIo io,
        final PmdCounters counters,
        final LearnEventRing events,
        final TxQueues txQueues,
        final DecapStage decapStage)
    {
        this.decapStage = decapStage;
        this.underlay = underlay;
        this.responder = new HostResponder(underlay.mac(), underlay.ip(), underlay.udpPort());
        this.io = io;
        this.counters = counters;
        this.events = events;
        this.txQueues = txQueues;
    }

    public UnderlayBinding underlay()
    {
        return underlay;
    }

    /**
     * @param burst what the underlay port received.
     */
    public void process(final Burst burst, final ForwardingTopology topology)
    {
        final int count = burst.count();
        final int slot = underlay.port().slot();
        int toFree = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            final long address = burst.mbuf(i);
            mbuf.wrap(address);
            final int length = mbuf.dataLen();
            bytes += mbuf.pktLen();
            frame.wrap(mbuf.dataAddress(), length);
            final int code = responder.examine(frame, length);
            counters.addUnderlay(PmdCounters.UNDERLAY_CODES_BASE + code, 1);
            switch (code)
            {
                case HostResponder.ARP_REPLIED, HostResponder.ICMP_REPLIED ->
                {
                    if (code == HostResponder.ARP_REPLIED && responder.senderIp() != 0)
                    {
                        events.onNeighbor(responder.senderIp(), responder.senderMac());
                    }
                    counters.addUnderlay(PmdCounters.UNDERLAY_TX_REPLIES, 1);
                    txQueues.enqueue(underlay.port(), address, length);
                }
                case HostResponder.ARP_LEARNED ->
                {
                    events.onNeighbor(responder.senderIp(), responder.senderMac());
                    freeArray.putLong(toFree++ * Long.BYTES, address);
                }
                case HostResponder.VAN_UDP -> decapStage.process(
                    address, frame, responder.vanPayloadOffset(), responder.vanPayloadLength(), responder.senderIp(), topology);
                default -> freeArray.putLong(toFree++ * Long.BYTES, address);
            }
        }
        counters.addPort(slot, PmdCounters.PORT_RX_PACKETS, count);
        counters.addPort(slot, PmdCounters.PORT_RX_BYTES, bytes);
        if (toFree > 0)
        {
            io.freeBulk(freeArray.addressOffset(), toFree);
        }
    }
}
