package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.overlay.EdgeOutput;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.pmd.DropReason;
import io.vanswitch.dataplane.pmd.PmdCounters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Third stage (compare VPP's l2-flood and l2-output): frees dropped frames in one bulk call, queues
 * unicast frames on their egress port, and replicates flooded frames to every other port of the
 * VAN by reference count (no copy: each egress frees its reference once sent).
 */
public final class OutputStage
{
    private final PacketIo io;
    private final PmdCounters counters;
    private final TxQueues txQueues;
    private static final int[] NO_EDGES = new int[0];
    private final UnsafeBuffer dropArray = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Burst.MAX * Long.BYTES, 64));

    private final EdgeOutput edgeOutput;

    public OutputStage(final PacketIo io, final PmdCounters counters, final TxQueues txQueues, final EdgeOutput edgeOutput)
    {
        this.edgeOutput = edgeOutput;
        this.io = io;
        this.counters = counters;
        this.txQueues = txQueues;
    }

    private void sendToEdge(final long mbuf, final int edgeIndex, final int type, final int vanIndex, final ForwardingTopology topology)
    {
        edgeOutput.send(mbuf, edgeIndex, type, vanIndex, topology);
    }

    private final MbufFlyweight mbuf = new MbufFlyweight();

    public void process(final Burst burst, final ForwardingTopology topology)
    {
        final PortBinding ingress = burst.ingress;
        final int ingressSlot = ingress.slot();
        int dropped = 0;

        for (int i = 0, count = burst.count; i < count; i++)
        {
            final int action = burst.actions[i];
            final long mbuf = burst.mbufs[i];
            if (action >= OverlayTopology.REMOTE_BASE)
            {
                sendToEdge(mbuf, action - OverlayTopology.REMOTE_BASE, VanHeaderFlyweight.TYPE_DATA, ingress.vanIndex(), topology);
            }
            else if (action >= 0)
            {
                txQueues.enqueue(topology.binding(action), mbuf, burst.lengths[i]);
            }
            else if (action == Burst.REPLY)
            {
                txQueues.enqueue(ingress, mbuf, this.mbuf.wrap(mbuf).pktLen());
            }
            else if (action == Burst.FLOOD)
            {
                final int[] floodSlots = topology.floodSlots(ingress.vanIndex());
                final int copies = floodSlots.length - 1;
                final OverlayTopology overlay = topology.overlay();
                final int[] floodEdges = null == overlay ? NO_EDGES : overlay.floodEdges(ingress.vanIndex());
                // remote copies first: each a deep copy with its own outer headers
                for (final int edgeIndex : floodEdges)
                {
                    final long copy = io.copy(mbuf);
                    if (0 == copy)
                    {
                        counters.addUnderlay(PmdCounters.UNDERLAY_DROP_COPY_FAILED, 1);
                        continue;
                    }
                    counters.addUnderlay(PmdCounters.UNDERLAY_FLOOD_COPIES, 1);
                    sendToEdge(copy, edgeIndex, VanHeaderFlyweight.TYPE_FLOOD, ingress.vanIndex(), topology);
                }
                if (copies <= 0)
                {
                    if (floodEdges.length == 0)
                    {
                        counters.addPortDrop(ingressSlot, DropReason.NO_DESTINATION, 1);
                    }
                    dropArray.putLong(dropped++ * Long.BYTES, mbuf);
                    continue;
                }
                if (copies > 1)
                {
                    io.refcntUpdate(mbuf, copies - 1);
                }
                for (final int slot : floodSlots)
                {
                    if (slot != ingressSlot)
                    {
                        txQueues.enqueue(topology.binding(slot), mbuf, burst.lengths[i]);
                    }
                }
            }
            else
            {
                dropArray.putLong(dropped++ * Long.BYTES, mbuf);
            }
        }

        if (dropped > 0)
        {
            io.freeBulk(dropArray.addressOffset(), dropped);
        }
    }
}
