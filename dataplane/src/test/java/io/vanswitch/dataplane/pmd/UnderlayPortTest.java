package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vanswitch.dataplane.pmd.OverlaySetup.UNDERLAY;
import static io.vanswitch.dataplane.pmd.OverlaySetup.VAN;
import static io.vanswitch.dataplane.pmd.OverlaySetup.VAN_ID;
import static io.vanswitch.dataplane.pmd.OverlaySetup.bothEdges;
import static io.vanswitch.dataplane.pmd.OverlaySetup.topology;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static io.vanswitch.dataplane.testing.OverlayFrames.DATA;
import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.VAN_PORT;
import static io.vanswitch.dataplane.testing.OverlayFrames.fromPeer;
import static io.vanswitch.dataplane.testing.OverlayFrames.tenant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The underlay port as a port of this PMD: frames the control thread built (signals, ARP requests)
 * leave on it from an mbuf of the pool, and every rx queue it has is polled.
 */
class UnderlayPortTest
{
    private static final long ALICE = 0x5254_0000_0001L;
    private static final long REMOTE_DAVE = 0x5254_0000_0D0DL;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding p0 = port(0, VAN);

    @AfterEach
    void close()
    {
        pmd.close();
    }

    private long underlay(final int counter)
    {
        return pmd.counters.underlay(counter);
    }

    @Test
    void aFrameTheControlThreadBuiltLeavesOnTheUnderlayAsItIs()
    {
        pmd.install(topology(bothEdges(), p0));
        final byte[] signal = fromPeer(PEER_1_MAC, PEER_1_IP, new byte[40]);

        pmd.proxy.transmitOnUnderlay(signal);
        pmd.agent.doWork();

        assertEquals(1, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        assertArrayEquals(signal, pmd.io.sentOn(UNDERLAY.dpdkPortId()).get(0).bytes());
        assertEquals(PmdHarness.PMD_INDEX, pmd.io.sentOn(UNDERLAY.dpdkPortId()).get(0).queueId(), "this PMD's own tx queue");
        assertEquals(1, underlay(PmdCounters.UNDERLAY_SENT_FOR_CONTROL));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_CONTROL_SEND_FAILED));
        pmd.assertNoLeaks();
    }

    @Test
    void withoutAnMbufTheFrameIsCountedAsNotSent()
    {
        pmd.install(topology(bothEdges(), p0));
        pmd.io.failAlloc(true);

        pmd.proxy.transmitOnUnderlay(new byte[60]);
        pmd.agent.doWork();

        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        assertEquals(1, underlay(PmdCounters.UNDERLAY_CONTROL_SEND_FAILED));
        pmd.assertNoLeaks();
    }

    @Test
    void withoutAnUnderlayTheFrameIsCountedAsNotSent()
    {
        pmd.install(p0);

        pmd.proxy.transmitOnUnderlay(new byte[60]);
        pmd.agent.doWork();

        assertEquals(1, underlay(PmdCounters.UNDERLAY_CONTROL_SEND_FAILED));
        pmd.assertNoLeaks();
    }

    @Test
    void aFrameLargerThanAnMbufIsCountedAsNotSent()
    {
        pmd.install(topology(bothEdges(), p0));

        pmd.proxy.transmitOnUnderlay(new byte[3000]);
        pmd.agent.doWork();

        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        assertEquals(1, underlay(PmdCounters.UNDERLAY_CONTROL_SEND_FAILED));
        pmd.assertNoLeaks();
    }

    @Test
    void everyRxQueueOfTheUnderlayIsPolled()
    {
        // a driver that insists on as many rx as tx queues (TAP) spreads what it receives over all of them
        final PortBinding twoQueues = new PortBinding(
            UNDERLAY.slot(), UNDERLAY.generation(), "underlay", UNDERLAY.dpdkPortId(), 0, MacAddress.NONE, PmdHarness.PMD_INDEX, 0, 2);
        final UnderlayBinding underlay = new UnderlayBinding(twoQueues, OUR_MAC, OUR_IP, VAN_PORT);
        pmd.install(new ForwardingTopology(List.of(p0), underlay, bothEdges()));
        final byte[] inner = Frames.frame(MacAddress.BROADCAST, REMOTE_DAVE);

        pmd.io.receive(twoQueues.dpdkPortId(), 0, fromPeer(PEER_1_MAC, PEER_1_IP, tenant(DATA, VAN_ID, inner)));
        pmd.io.receive(twoQueues.dpdkPortId(), 1, fromPeer(PEER_1_MAC, PEER_1_IP, tenant(DATA, VAN_ID, inner)));
        pmd.agent.doWork();

        assertEquals(0, pmd.io.pendingRx(twoQueues.dpdkPortId()), "nothing left behind on queue 1");
        assertEquals(2, pmd.sentOn(p0).size());
        assertEquals(2, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        pmd.assertNoLeaks();
    }

    @Test
    void everyRxQueueOfALocalPortIsPolled()
    {
        final PortBinding twoQueues = new PortBinding(1, 1, "tap1", PmdHarness.dpdkPortId(1), VAN, MacAddress.NONE, PmdHarness.PMD_INDEX, 0, 2);
        pmd.install(p0, twoQueues);

        pmd.io.receive(twoQueues.dpdkPortId(), 0, Frames.frame(MacAddress.BROADCAST, ALICE));
        pmd.io.receive(twoQueues.dpdkPortId(), 1, Frames.frame(MacAddress.BROADCAST, ALICE));
        pmd.agent.doWork();

        assertEquals(0, pmd.io.pendingRx(twoQueues.dpdkPortId()));
        assertEquals(2, pmd.sentOn(p0).size());
        pmd.assertNoLeaks();
    }
}
