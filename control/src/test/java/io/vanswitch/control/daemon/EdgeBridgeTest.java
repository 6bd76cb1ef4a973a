package io.vanswitch.control.daemon;

import io.vanswitch.control.config.UnderlaySpec;
import io.vanswitch.control.overlay.NeighborTable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The edge bridge's answers to what the PMDs saw, where no frame can leave: a peer whose next hop
 * is not resolved yet has no outer headers, so neither LEARN nor UNLEARN can be sent to it, and the
 * operator sees that as such, not as rate limiting.
 */
class EdgeBridgeTest
{
    private static final int OUR_IP = 0x0A00_0001;
    private static final int PEER_IP = 0x0A00_0002;
    private static final int VAN_ID = 10;
    private static final long MAC = 0x5254_0000_0001L;

    private static final EdgeBridge.LocalMacs NOTHING_LOCAL = new EdgeBridge.LocalMacs()
    {
        public void movedAway(final int van, final long mac)
        {
        }

        public boolean isLocal(final int van, final long mac)
        {
            return false;
        }

        public void reassert(final int van, final long mac)
        {
        }
    };

    /** No PMDs: nothing may be sent in these stories (it would fail on the empty list). */
    private final EdgeBridge bridge = new EdgeBridge(
        new UnderlaySpec("net_null0", OUR_IP, 24, 0, UnderlaySpec.DEFAULT_UDP_PORT, UnderlaySpec.DEFAULT_MTU),
        0x5254_0012_3456L, List.of(), new NeighborTable(), van -> van == VAN_ID ? 0 : -1, NOTHING_LOCAL, 0);

    @Test
    void unlearnToAPeerWithoutOuterHeadersIsCountedAsNoRouteNotAsRateLimited()
    {
        bridge.setPeers(List.of(PEER_IP));

        bridge.onDataNotHere(VAN_ID, MAC, 0);

        assertEquals(1L, bridge.counters().get("signal_no_route_to_peer"));
        assertNull(bridge.counters().get("signal_rate_limited"));
        assertNull(bridge.counters().get("unlearn_sent"));
    }

    @Test
    void aFloodForAMacThatIsNotLocalIsNotAnswered()
    {
        bridge.setPeers(List.of(PEER_IP));

        bridge.onFloodForLocal(VAN_ID, MAC, 0);

        assertNull(bridge.counters().get("signal_no_route_to_peer"), "a LEARN for a MAC we do not hold would be a false claim");
        assertNull(bridge.counters().get("learn_sent"));
    }

    @Test
    void learnToAPeerWithoutOuterHeadersIsCountedTheSameWay()
    {
        bridge.setPeers(List.of(PEER_IP));
        bridge.onLocalLearn(VAN_ID, MAC);

        bridge.onFloodForLocal(VAN_ID, MAC, 0);

        assertEquals(1L, bridge.counters().get("signal_no_route_to_peer"));
        assertNull(bridge.counters().get("signal_rate_limited"));
        assertNull(bridge.counters().get("learn_sent"));
    }
}
