package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.testing.OverlayFrames;

import java.util.List;
import java.util.Map;

import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_2_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_2_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.VAN_PORT;

/**
 * The host the overlay stories run on (see {@link OverlayFrames} for the addresses): an underlay
 * port polled by this PMD, two peer hosts behind edges 0 and 1, and VAN index 0 as VAN id 10 on the
 * overlay. VAN index 1 stays local (no VAN id); VAN index 2 (id 30) is served but has no local port.
 */
final class OverlaySetup
{
    static final int VAN = 0;
    static final int VAN_ID = 10;
    static final int LOCAL_VAN = 1;
    static final int PORTLESS_VAN = 2;
    static final int PORTLESS_VAN_ID = 30;
    static final int MAX_INNER = 1460;

    static final PortBinding UNDERLAY = new PortBinding(
        PmdCounters.UNDERLAY_SLOT, 1, "underlay", 60, 0, MacAddress.NONE, PmdHarness.PMD_INDEX, 0);
    static final UnderlayBinding UNDERLAY_BINDING = new UnderlayBinding(UNDERLAY, OUR_MAC, OUR_IP, VAN_PORT);

    static final RemoteEdge EDGE_1 = new RemoteEdge(0, PEER_1_IP, OverlayFrames.template(PEER_1_MAC, PEER_1_IP));
    static final RemoteEdge EDGE_2 = new RemoteEdge(1, PEER_2_IP, OverlayFrames.template(PEER_2_MAC, PEER_2_IP));

    private OverlaySetup()
    {
    }

    /** The overlay with the given edges, VAN 10 flooded to {@code floodEdges}. */
    static OverlayTopology overlay(final int maxInner, final List<RemoteEdge> edges, final int... floodEdges)
    {
        final int[] vanIdByIndex = new int[PmdCounters.MAX_VANS];
        vanIdByIndex[VAN] = VAN_ID;
        vanIdByIndex[PORTLESS_VAN] = PORTLESS_VAN_ID;
        return new OverlayTopology(edges, Map.of(VAN, floodEdges, PORTLESS_VAN, floodEdges), vanIdByIndex, maxInner);
    }

    /** Both edges, both serving VAN 10. */
    static OverlayTopology bothEdges()
    {
        return overlay(MAX_INNER, List.of(EDGE_1, EDGE_2), EDGE_1.index(), EDGE_2.index());
    }

    static ForwardingTopology topology(final OverlayTopology overlay, final PortBinding... ports)
    {
        return new ForwardingTopology(List.of(ports), UNDERLAY_BINDING, overlay);
    }
}
