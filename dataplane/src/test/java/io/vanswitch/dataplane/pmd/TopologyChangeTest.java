package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vanswitch.dataplane.pmd.PmdHarness.GENERATION;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_B;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ports come and go through new topologies installed between bursts.
 */
class TopologyChangeTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long BOB = 0x0200_0000_000BL;
    private static final long CAROL = 0x0200_0000_000CL;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding p0 = port(0, VAN_A);
    private final PortBinding p1 = port(1, VAN_A);
    private final PortBinding p2 = port(2, VAN_A);

    @BeforeEach
    void learnBobOnPort2()
    {
        pmd.install(p0, p1, p2);
        pmd.receive(p2, Frames.frame(ALICE, BOB));
        pmd.receive(p1, Frames.frame(ALICE, CAROL));
        pmd.io.clearSent();
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void macsOfARemovedPortAreForgotten()
    {
        pmd.install(p0, p1);

        assertEquals(1, pmd.agent.fdbSize(), "only Carol left");
        pmd.receive(p0, Frames.frame(BOB, ALICE));
        assertEquals(List.of(BOB), pmd.destinationsSentOn(p1), "Bob unknown again: flooded to what is left");
        assertEquals(0, pmd.sentOn(p2).size());
        pmd.assertNoLeaks();
    }

    @Test
    void portsThatStayKeepTheirMacsAndCounters()
    {
        final long rxBefore = pmd.counters.port(p1.slot(), PmdCounters.PORT_RX_PACKETS);
        final long txBefore = pmd.counters.port(p1.slot(), PmdCounters.PORT_TX_PACKETS);

        pmd.install(p0, p1);
        pmd.receive(p0, Frames.frame(CAROL, ALICE));

        assertEquals(List.of(CAROL), pmd.destinationsSentOn(p1));
        assertEquals(rxBefore, pmd.counters.port(p1.slot(), PmdCounters.PORT_RX_PACKETS));
        assertEquals(1, rxBefore, "Carol's frame");
        assertEquals(txBefore + 1, pmd.counters.port(p1.slot(), PmdCounters.PORT_TX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void reusedSlotWithANewGenerationStartsFreshAndDoesNotInheritMacs()
    {
        final PortBinding successor = port(2, GENERATION + 1, VAN_A, MacAddress.NONE);
        pmd.install(p0, p1);
        pmd.install(p0, p1, successor);

        for (int counter = 0; counter < PmdCounters.PORT_COUNTERS; counter++)
        {
            assertEquals(0, pmd.counters.port(successor.slot(), counter), "counter " + counter);
        }
        pmd.receive(p0, Frames.frame(BOB, ALICE));
        assertEquals(1, pmd.sentOn(p1).size(), "Bob is not on the successor: flooded");
        assertEquals(1, pmd.sentOn(successor).size());
        assertEquals(1, pmd.counters.port(successor.slot(), PmdCounters.PORT_TX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void slotReusedInOneStepStartsFreshToo()
    {
        final PortBinding successor = port(2, GENERATION + 1, VAN_A, MacAddress.NONE);

        pmd.install(p0, p1, successor);

        assertEquals(0, pmd.counters.port(successor.slot(), PmdCounters.PORT_RX_PACKETS));
        assertEquals(1, pmd.agent.fdbSize(), "Bob's entry was for the old generation");
        pmd.receive(p0, Frames.frame(BOB, ALICE));
        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(1, pmd.sentOn(successor).size());
        pmd.assertNoLeaks();
    }

    @Test
    void portMovedToAnotherVanTakesNoMacsAlong()
    {
        final PortBinding moved = port(2, GENERATION, VAN_B, MacAddress.NONE);
        final PortBinding peer = port(3, VAN_B);

        pmd.install(p0, p1, moved, peer);

        assertEquals(1, pmd.agent.fdbSize());
        pmd.receive(p0, Frames.frame(BOB, ALICE));
        assertEquals(List.of(BOB), pmd.destinationsSentOn(p1));
        assertEquals(0, pmd.sentOn(moved).size(), "not in VAN A any more");
        assertEquals(0, pmd.sentOn(peer).size());
        pmd.assertNoLeaks();
    }
}
