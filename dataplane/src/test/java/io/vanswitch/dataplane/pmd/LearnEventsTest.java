package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vanswitch.dataplane.pmd.PmdHarness.GENERATION;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_B;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the control thread hears of learning: one event per new or moved MAC, not one per packet.
 */
class LearnEventsTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long BOB = 0x0200_0000_000BL;

    private record Learned(int vanIndex, long mac, int slot, int generation)
    {
    }

    private final PmdHarness pmd = new PmdHarness(4096);
    private final PortBinding a0 = port(0, VAN_A);
    private final PortBinding a1 = port(1, VAN_A);
    private final PortBinding b2 = port(2, 5, VAN_B, MacAddress.NONE);
    private final PortBinding b3 = port(3, VAN_B);

    @BeforeEach
    void install()
    {
        pmd.install(a0, a1, b2, b3);
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    private List<Learned> drain()
    {
        final List<Learned> events = new ArrayList<>();
        pmd.agent.learnEvents().drain(
            (vanIndex, mac, slot, generation) -> events.add(new Learned(vanIndex, mac, slot, generation)), Integer.MAX_VALUE);
        return events;
    }

    @Test
    void newMacIsReportedOnceHoweverManyFramesItSends()
    {
        pmd.receive(a0, Frames.frame(BOB, ALICE), Frames.frame(BOB, ALICE), Frames.frame(BOB, ALICE));
        pmd.receive(a0, Frames.frame(BOB, ALICE));

        assertEquals(List.of(new Learned(VAN_A, ALICE, a0.slot(), GENERATION)), drain());
        assertEquals(List.of(), drain(), "drained once");
        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_LEARNED));
    }

    @Test
    void moveIsReportedWithTheNewPort()
    {
        pmd.receive(a0, Frames.frame(BOB, ALICE));
        pmd.receive(a1, Frames.frame(BOB, ALICE), Frames.frame(BOB, ALICE));
        pmd.receive(a1, Frames.frame(BOB, ALICE));

        assertEquals(List.of(
            new Learned(VAN_A, ALICE, a0.slot(), GENERATION),
            new Learned(VAN_A, ALICE, a1.slot(), GENERATION)), drain());
    }

    @Test
    void eventsCarryTheVanAndGenerationOfTheIngressPort()
    {
        pmd.receive(a1, Frames.frame(BOB, ALICE));
        pmd.receive(b2, Frames.frame(BOB, ALICE));

        assertEquals(List.of(
            new Learned(VAN_A, ALICE, a1.slot(), GENERATION),
            new Learned(VAN_B, ALICE, b2.slot(), 5)), drain());
    }

    @Test
    void droppedFramesAndPeerLearningReportNothing()
    {
        pmd.receive(a0, Frames.frame(BOB, MacAddress.BROADCAST), Frames.runt(10));
        pmd.proxy.learnFromPeer(VAN_A, BOB, a1.slot(), GENERATION);
        pmd.agent.doWork();

        assertEquals(List.of(), drain());
    }

    @Test
    void eventsBeyondTheRingAreCountedAsLostNotBlocking()
    {
        final int macs = 3000;
        for (int i = 0; i < macs; i++)
        {
            pmd.io.receive(a0.dpdkPortId(), Frames.frame(BOB, 0x0200_0001_0000L + i));
        }
        while (pmd.io.pendingRx(a0.dpdkPortId()) > 0)
        {
            pmd.agent.doWork();
        }

        final long lost = pmd.counters.pmd(PmdCounters.LEARN_EVENTS_LOST);
        assertTrue(lost > 0, "ring smaller than " + macs + " events");
        assertEquals(macs, drain().size() + lost);
        assertEquals(macs, pmd.van(VAN_A, PmdCounters.VAN_LEARNED), "the table itself is complete");
        assertEquals(macs, pmd.agent.fdbSize());
        pmd.assertNoLeaks();
    }
}
