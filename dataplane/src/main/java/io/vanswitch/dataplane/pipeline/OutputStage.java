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
    /**
     * The most segments one frame is cut into: a 64 KiB segment at an MSS of 536 (IPv4's minimum
     * default) makes 123. A frame that would make more is dropped (offload_failed).
     */
    public static final int MAX_SEGMENTS = 128;
    private final UnsafeBuffer segmentArray = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_SEGMENTS * Long.BYTES, 64));

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
        // only a packet-socket port's frames carry offload requests: other ports pay one test per burst
        final boolean offloadsFromIngress = ingress.carriesOffloads();
        int dropped = 0;

        for (int i = 0, count = burst.count; i < count; i++)
        {
            final int action = burst.actions[i];
            final long mbuf = burst.mbufs[i];
            if (offloadsFromIngress && needsSoftwareOffload(mbuf, action, topology))
            {
                outputSegments(mbuf, action, ingress, topology);
            }
            else if (!output(mbuf, action, burst.lengths[i], ingress, topology))
            {
                dropArray.putLong(dropped++ * Long.BYTES, mbuf);
            }
        }

        if (dropped > 0)
        {
            io.freeBulk(dropArray.addressOffset(), dropped);
        }
    }

    /**
     * Whether the frame asks for a checksum or segmentation its egress cannot do: anything but a
     * unicast to another packet-socket port (a flood's copies go to ports of every kind).
     */
    private boolean needsSoftwareOffload(final long mbuf, final int action, final ForwardingTopology topology)
    {
        if ((this.mbuf.wrap(mbuf).olFlags() & MbufFlyweight.SOFTWARE_OFFLOAD_FLAGS) == 0)
        {
            return false;
        }
        if (action >= OverlayTopology.REMOTE_BASE || action == Burst.FLOOD)
        {
            return true;
        }
        return action >= 0 && !topology.binding(action).carriesOffloads();
    }

    /** Does the frame's offloads in software and outputs what results: the frame, or its segments. */
    private void outputSegments(final long mbuf, final int action, final PortBinding ingress, final ForwardingTopology topology)
    {
        final int segments = io.softOffload(mbuf, segmentArray.addressOffset(), MAX_SEGMENTS);
        if (segments < 0)
        {
            counters.addPortDrop(ingress.slot(), DropReason.OFFLOAD_FAILED, 1);
            return;
        }
        for (int s = 0; s < segments; s++)
        {
            final long segment = segmentArray.getLong(s * Long.BYTES);
            if (!output(segment, action, this.mbuf.wrap(segment).pktLen(), ingress, topology))
            {
                io.free(segment);
            }
        }
    }

    /**
     * Sends one frame where its action says: to a remote edge, a port, back to the ingress (a reply),
     * or to every other port of the VAN.
     *
     * @return false when the frame is the caller's to free (dropped; the reason is counted).
     */
    private boolean output(final long mbuf, final int action, final int length, final PortBinding ingress, final ForwardingTopology topology)
    {
        if (action >= OverlayTopology.REMOTE_BASE)
        {
            sendToEdge(mbuf, action - OverlayTopology.REMOTE_BASE, VanHeaderFlyweight.TYPE_DATA, ingress.vanIndex(), topology);
        }
        else if (action >= 0)
        {
            txQueues.enqueue(topology.binding(action), mbuf, length);
        }
        else if (action == Burst.REPLY)
        {
            txQueues.enqueue(ingress, mbuf, this.mbuf.wrap(mbuf).pktLen());
        }
        else if (action == Burst.FLOOD)
        {
            return flood(mbuf, length, ingress, topology);
        }
        else
        {
            return false;
        }
        return true;
    }

    private boolean flood(final long mbuf, final int length, final PortBinding ingress, final ForwardingTopology topology)
    {
        final int ingressSlot = ingress.slot();
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
            return false;
        }
        if (copies > 1)
        {
            io.refcntUpdate(mbuf, copies - 1);
        }
        for (final int slot : floodSlots)
        {
            if (slot != ingressSlot)
            {
                txQueues.enqueue(topology.binding(slot), mbuf, length);
            }
        }
        return true;
    }
}
