package io.vanswitch.dataplane.overlay;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.frame.VanFrameCheck;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PacketIo;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pipeline.TxQueues;
import io.vanswitch.dataplane.pmd.LearnEventRing;
import io.vanswitch.dataplane.pmd.PmdCounters;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An overlay datagram from a peer host: validated (every malformed case counted), then either a
 * signal for the control thread, or a tenant frame that is decapsulated in place and delivered to
 * the local ports of its VAN only (split horizon: never back to the underlay). Destination
 * identifiable: a VAN this host does not serve is dropped and counted. Where delivery says
 * something the sender should learn (a FLOOD that found its destination here; DATA for a MAC that is
 * not here), the control thread is told and answers with LEARN or UNLEARN.
 */
public final class DecapStage
{
    private final PacketIo io;
    private final PmdCounters counters;
    private final LearnEventRing events;
    private final LocalFdb fdb;
    private final TxQueues txQueues;
    private final io.vanswitch.dataplane.pipeline.ArpProxy arpProxy;
    private final MbufFlyweight mbuf = new MbufFlyweight();
    private final UnsafeBuffer inner = new UnsafeBuffer(0, 0);
    private final VanHeaderFlyweight vanHeader = new VanHeaderFlyweight();
    private final EdgeOutput edgeOutput;

    public DecapStage(
        final PacketIo io, final PmdCounters counters, final LearnEventRing events, final LocalFdb fdb, final TxQueues txQueues,
        final io.vanswitch.dataplane.pipeline.ArpProxy arpProxy, final EdgeOutput edgeOutput)
    {
        this.edgeOutput = edgeOutput;
        this.arpProxy = arpProxy;
        this.io = io;
        this.counters = counters;
        this.events = events;
        this.fdb = fdb;
        this.txQueues = txQueues;
    }

    /**
     * Owns the mbuf: it is queued for transmission or freed.
     *
     * @param frame         over the whole received frame.
     * @param payloadOffset where the VAN header starts in the frame.
     * @param payloadLength UDP payload length: the VAN header and what follows.
     * @param senderIp      the outer IPv4 source.
     */
    public void process(
        final long mbufAddress, final UnsafeBuffer frame, final int payloadOffset, final int payloadLength, final int senderIp,
        final ForwardingTopology topology)
    {
        final VanFrameCheck check = VanFrameCheck.check(frame, payloadOffset, payloadLength);
        if (check != VanFrameCheck.OK)
        {
            drop(mbufAddress, PmdCounters.UNDERLAY_VAN_CHECK_BASE + check.ordinal());
            return;
        }
        vanHeader.wrap(frame, payloadOffset);
        final int type = vanHeader.type();
        if (!VanHeaderFlyweight.carriesFrame(type))
        {
            counters.addUnderlay(PmdCounters.UNDERLAY_SIGNALS_RECEIVED, 1);
            events.onSignal(senderIp, frame, payloadOffset, payloadLength);
            io.free(mbufAddress);
            return;
        }
        final OverlayTopology overlay = topology.overlay();
        final int vanIndex = null == overlay ? OverlayTopology.MISSING : overlay.vanIndex((int)vanHeader.destinationVanId());
        if (vanIndex == OverlayTopology.MISSING)
        {
            // destination identifiable: never delivered; misrouted DATA tells its sender (UNLEARN)
            final int edge = null == overlay ? OverlayTopology.MISSING : overlay.edgeIndex(senderIp);
            if (type == VanHeaderFlyweight.TYPE_DATA && edge != OverlayTopology.MISSING)
            {
                events.onOverlayEvent(LearnEventRing.MSG_UNKNOWN_VAN_DATA, (int)vanHeader.sourceVanId(),
                    EthernetFlyweight.readMac(frame, payloadOffset + VanHeaderFlyweight.HEADER_LENGTH), edge);
            }
            drop(mbufAddress, PmdCounters.UNDERLAY_DROP_UNKNOWN_VAN);
            return;
        }
        final int edgeIndex = overlay.edgeIndex(senderIp);
        if (edgeIndex == OverlayTopology.MISSING)
        {
            drop(mbufAddress, PmdCounters.UNDERLAY_DROP_UNKNOWN_PEER);
            return;
        }
        deliver(mbufAddress, payloadOffset, payloadLength, type, vanIndex, edgeIndex, false, topology);
    }

    /**
     * A VAN datagram a peer proxy sent (already opened: authentic and fresh). Only a VAN the link
     * maps is delivered, with the peer's VAN id translated to this site's; everything else is
     * dropped and counted against the link.
     *
     * @param payloadOffset where the (decrypted) VAN header starts in the frame.
     * @param payloadLength the VAN header and the tenant frame, without the tag.
     */
    public void processFromLink(
        final long mbufAddress, final UnsafeBuffer frame, final int payloadOffset, final int payloadLength, final int linkEdgeIndex,
        final int linkNumber, final ForwardingTopology topology)
    {
        final VanFrameCheck check = VanFrameCheck.check(frame, payloadOffset, payloadLength);
        if (check != VanFrameCheck.OK)
        {
            drop(mbufAddress, PmdCounters.UNDERLAY_VAN_CHECK_BASE + check.ordinal());
            return;
        }
        vanHeader.wrap(frame, payloadOffset);
        final int type = vanHeader.type();
        if (!VanHeaderFlyweight.carriesFrame(type))
        {
            // signals cross only inside the proxies' TLS session
            counters.addLink(linkNumber, PmdCounters.LINK_DROP_NOT_FRAME, 1);
            io.free(mbufAddress);
            return;
        }
        final OverlayTopology overlay = topology.overlay();
        final int vanIndex = overlay.localVanIndex(linkEdgeIndex, (int)vanHeader.sourceVanId());
        if (vanIndex == OverlayTopology.MISSING || overlay.vanId(vanIndex) != (int)vanHeader.destinationVanId())
        {
            counters.addLink(linkNumber, PmdCounters.LINK_DROP_UNMAPPED_VAN, 1);
            io.free(mbufAddress);
            return;
        }
        deliver(mbufAddress, payloadOffset, payloadLength, type, vanIndex, linkEdgeIndex, true, topology);
    }

    /**
     * Delivers a tenant frame that came over the overlay. A host delivers to its local ports only
     * (split horizon). A proxy also passes frames across: from the site to the peer proxies that map
     * the VAN, and from a peer proxy to the site's hosts, never from one side back to the same side,
     * so a VAN spanning fully meshed sites has no loops.
     */
    private void deliver(
        final long mbufAddress, final int payloadOffset, final int payloadLength, final int type, final int vanIndex,
        final int edgeIndex, final boolean fromLink, final ForwardingTopology topology)
    {
        final OverlayTopology overlay = topology.overlay();
        final int innerLength = payloadLength - VanHeaderFlyweight.HEADER_LENGTH;
        mbuf.wrap(mbufAddress);
        if (mbuf.nbSegs() != 1)
        {
            drop(mbufAddress, PmdCounters.UNDERLAY_DROP_NO_HEADROOM);
            return;
        }
        mbuf.adjustStart(payloadOffset + VanHeaderFlyweight.HEADER_LENGTH);
        mbuf.length(innerLength);
        counters.addUnderlay(PmdCounters.UNDERLAY_DECAPSULATED, 1);
        counters.addVan(vanIndex, PmdCounters.VAN_DECAPSULATED, 1);

        // remote nodes' ARP teaches the proxy too (answers come from local requests only)
        arpProxy.process(vanIndex, mbuf.dataAddress(), mbuf.dataLen(), false);
        inner.wrap(mbuf.dataAddress(), EthernetFlyweight.HEADER_LENGTH);
        final long destination = EthernetFlyweight.readMac(inner, EthernetFlyweight.DESTINATION_OFFSET);
        final int[] acrossEdges = fromLink ? overlay.siteFloodEdges(vanIndex) : overlay.linkFloodEdges(vanIndex);
        if (MacAddress.isGroup(destination))
        {
            flood(mbufAddress, vanIndex, innerLength, acrossEdges, topology);
            return;
        }
        final long location = fdb.lookup(vanIndex, destination);
        final int slot = location == LocalFdb.MISSING ? -1 : LocalFdb.slotOf(location);
        if (slot >= OverlayTopology.REMOTE_BASE)
        {
            final RemoteEdge target = overlay.edge(slot - OverlayTopology.REMOTE_BASE);
            if (null != target && target.isLink() != fromLink)
            {
                // a proxy passing a frame across: the destination lives on the other side
                if (type == VanHeaderFlyweight.TYPE_FLOOD)
                {
                    events.onOverlayEvent(LearnEventRing.MSG_FLOOD_FOR_LOCAL, vanIndex, destination, edgeIndex);
                }
                edgeOutput.send(mbufAddress, target.index(), VanHeaderFlyweight.TYPE_DATA, vanIndex, topology);
                return;
            }
        }
        final PortBinding egress = slot < 0 || slot >= OverlayTopology.REMOTE_BASE ? null : topology.binding(slot);
        if (null != egress && egress.generation() == LocalFdb.generationOf(location) && egress.vanIndex() == vanIndex)
        {
            if (type == VanHeaderFlyweight.TYPE_FLOOD)
            {
                events.onOverlayEvent(LearnEventRing.MSG_FLOOD_FOR_LOCAL, vanIndex, destination, edgeIndex);
            }
            txQueues.enqueue(egress, mbufAddress, innerLength);
        }
        else if (type == VanHeaderFlyweight.TYPE_FLOOD)
        {
            flood(mbufAddress, vanIndex, innerLength, acrossEdges, topology);
        }
        else
        {
            events.onOverlayEvent(LearnEventRing.MSG_DATA_NOT_HERE, vanIndex, destination, edgeIndex);
            drop(mbufAddress, PmdCounters.UNDERLAY_DROP_NOT_HERE);
        }
    }

    /** Local ports by reference count; edges across a proxy by deep copy (each gets its own headers). */
    private void flood(final long mbufAddress, final int vanIndex, final int length, final int[] acrossEdges, final ForwardingTopology topology)
    {
        for (final int edgeIndex : acrossEdges)
        {
            final long copy = io.copy(mbufAddress);
            if (0 == copy)
            {
                counters.addUnderlay(PmdCounters.UNDERLAY_DROP_COPY_FAILED, 1);
                continue;
            }
            counters.addUnderlay(PmdCounters.UNDERLAY_FLOOD_COPIES, 1);
            edgeOutput.send(copy, edgeIndex, VanHeaderFlyweight.TYPE_FLOOD, vanIndex, topology);
        }
        floodLocally(mbufAddress, vanIndex, length, topology);
    }

    private void floodLocally(final long mbufAddress, final int vanIndex, final int length, final ForwardingTopology topology)
    {
        final int[] slots = topology.floodSlots(vanIndex);
        if (slots.length == 0)
        {
            io.free(mbufAddress);
            return;
        }
        if (slots.length > 1)
        {
            io.refcntUpdate(mbufAddress, slots.length - 1);
        }
        for (final int slot : slots)
        {
            txQueues.enqueue(topology.binding(slot), mbufAddress, length);
        }
    }

    private void drop(final long mbufAddress, final int counter)
    {
        counters.addUnderlay(counter, 1);
        io.free(mbufAddress);
    }
}
