package io.vanswitch.dataplane.overlay;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.federation.FederationBinding;
import io.vanswitch.dataplane.federation.LinkKeys;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PacketIo;
import io.vanswitch.dataplane.pipeline.TxQueues;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.pmd.PmdCounters;

/**
 * Sends one tenant frame to a remote edge: a host of the site gets it encapsulated on the
 * underlay; a peer proxy gets it with the VAN id translated, sealed, on the public port. Owns the
 * mbuf: it is queued or freed (and the reason counted).
 */
public final class EdgeOutput
{
    private final PacketIo io;
    private final PmdCounters counters;
    private final TxQueues txQueues;
    private final LinkKeys linkKeys;
    private final Encapsulator encapsulator = new Encapsulator();
    private final LinkEncapsulator linkEncapsulator = new LinkEncapsulator();
    private final MbufFlyweight mbuf = new MbufFlyweight();

    public EdgeOutput(final PacketIo io, final PmdCounters counters, final TxQueues txQueues, final LinkKeys linkKeys)
    {
        this.io = io;
        this.counters = counters;
        this.txQueues = txQueues;
        this.linkKeys = linkKeys;
    }

    public void send(final long mbufAddress, final int edgeIndex, final int type, final int vanIndex, final ForwardingTopology topology)
    {
        final OverlayTopology overlay = topology.overlay();
        final UnderlayBinding underlay = topology.underlay();
        final RemoteEdge edge = null == overlay ? null : overlay.edge(edgeIndex);
        if (null == edge)
        {
            counters.addUnderlay(PmdCounters.UNDERLAY_DROP_NO_UNDERLAY, 1);
            io.free(mbufAddress);
            return;
        }
        if (edge.isLink())
        {
            sendToLink(mbufAddress, edge, type, vanIndex, overlay, topology.federation());
            return;
        }
        final int vanId = overlay.vanId(vanIndex);
        final int result = encapsulator.encapsulate(mbufAddress, edge, type, vanId, vanId, overlay.maxInnerFrame());
        if (result != Encapsulator.OK)
        {
            counters.addUnderlay(result == Encapsulator.OVERSIZE ?
                PmdCounters.UNDERLAY_DROP_OVERSIZE : PmdCounters.UNDERLAY_DROP_NO_HEADROOM, 1);
            io.free(mbufAddress);
            return;
        }
        counters.addUnderlay(PmdCounters.UNDERLAY_ENCAPSULATED, 1);
        counters.addVan(vanIndex, PmdCounters.VAN_ENCAPSULATED, 1);
        txQueues.enqueue(underlay.port(), mbufAddress, mbuf.wrap(mbufAddress).pktLen());
    }

    private void sendToLink(
        final long mbufAddress, final RemoteEdge link, final int type, final int vanIndex, final OverlayTopology overlay,
        final FederationBinding federation)
    {
        final int linkNumber = link.linkNumber();
        final int remoteVanId = overlay.remoteVanId(link.index(), vanIndex);
        if (null == federation || remoteVanId == 0)
        {
            counters.addLink(linkNumber, PmdCounters.LINK_DROP_UNMAPPED_VAN, 1);
            io.free(mbufAddress);
            return;
        }
        final int result = linkEncapsulator.encapsulate(
            mbufAddress, link, type, overlay.vanId(vanIndex), remoteVanId, linkKeys.sealer(linkNumber), federation.maxInnerFrame());
        if (result != LinkEncapsulator.OK)
        {
            counters.addLink(linkNumber, switch (result)
            {
                case LinkEncapsulator.OVERSIZE -> PmdCounters.LINK_DROP_OVERSIZE;
                case LinkEncapsulator.NO_KEY -> PmdCounters.LINK_DROP_NO_KEY;
                default -> PmdCounters.LINK_DROP_OVERSIZE;
            }, 1);
            io.free(mbufAddress);
            return;
        }
        final int length = mbuf.wrap(mbufAddress).pktLen();
        counters.addLink(linkNumber, PmdCounters.LINK_TX_PACKETS, 1);
        counters.addLink(linkNumber, PmdCounters.LINK_TX_BYTES, length);
        counters.addVan(vanIndex, PmdCounters.VAN_ENCAPSULATED, 1);
        txQueues.enqueue(federation.publicPort(), mbufAddress, length);
    }
}
