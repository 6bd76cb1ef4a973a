package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vanswitch.dataplane.pmd.PmdHarness.GENERATION;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LearningTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long BOB = 0x0200_0000_000BL;
    private static final long CAROL = 0x0200_0000_000CL;

    private final PortBinding p0 = port(0, VAN_A);
    private final PortBinding p1 = port(1, VAN_A);
    private final PortBinding p2 = port(2, VAN_A);
    private PmdHarness pmd = new PmdHarness();

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void afterAReplyUnicastGoesOnlyToTheLearnedPort()
    {
        pmd.install(p0, p1, p2);

        pmd.receive(p0, Frames.frame(BOB, ALICE));
        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(1, pmd.sentOn(p2).size());
        pmd.io.clearSent();

        final byte[] reply = Frames.frame(ALICE, BOB);
        pmd.receive(p1, reply);
        assertEquals(1, pmd.sentOn(p0).size());
        assertArrayEquals(reply, pmd.sentOn(p0).get(0).bytes());
        assertEquals(0, pmd.sentOn(p2).size());
        pmd.io.clearSent();

        pmd.receive(p0, Frames.frame(BOB, ALICE));
        assertEquals(List.of(BOB), pmd.destinationsSentOn(p1));
        assertEquals(0, pmd.sentOn(p2).size());

        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_FLOODED));
        assertEquals(2, pmd.van(VAN_A, PmdCounters.VAN_UNICAST));
        assertEquals(2, pmd.van(VAN_A, PmdCounters.VAN_LEARNED));
        assertEquals(2, pmd.agent.fdbSize());
        pmd.assertNoLeaks();
    }

    @Test
    void macThatMovesIsFollowed()
    {
        pmd.install(p0, p1, p2);
        pmd.receive(p1, Frames.frame(ALICE, BOB));

        pmd.receive(p2, Frames.frame(ALICE, BOB));
        pmd.io.clearSent();
        pmd.receive(p0, Frames.frame(BOB, ALICE));

        assertEquals(List.of(BOB), pmd.destinationsSentOn(p2));
        assertEquals(0, pmd.sentOn(p1).size());
        assertEquals(3, pmd.van(VAN_A, PmdCounters.VAN_LEARNED), "Bob learned, Bob moved, Alice learned");
        pmd.assertNoLeaks();
    }

    @Test
    void fullTableFloodsNewMacsAndStillForwardsKnownOnes()
    {
        pmd.close();
        pmd = new PmdHarness(2);
        pmd.install(p0, p1, p2);
        pmd.receive(p0, Frames.frame(BOB, ALICE));
        pmd.receive(p1, Frames.frame(ALICE, BOB));

        pmd.receive(p2, Frames.frame(ALICE, CAROL));
        pmd.io.clearSent();
        pmd.receive(p0, Frames.frame(CAROL, ALICE));

        assertEquals(1, pmd.sentOn(p1).size(), "Carol not learned: flooded");
        assertEquals(1, pmd.sentOn(p2).size());
        pmd.io.clearSent();
        pmd.receive(p2, Frames.frame(BOB, CAROL));
        assertEquals(1, pmd.sentOn(p1).size(), "Bob still known: unicast");
        assertEquals(0, pmd.sentOn(p0).size());
        assertEquals(2, pmd.agent.fdbSize());
        pmd.assertNoLeaks();
    }

    @Test
    void macLearnedByAPeerPmdIsForwardedWithoutFlooding()
    {
        pmd.install(p0, p1, p2);

        pmd.proxy.learnFromPeer(VAN_A, BOB, p2.slot(), GENERATION);
        pmd.agent.doWork();
        pmd.receive(p0, Frames.frame(BOB, ALICE));

        assertEquals(List.of(BOB), pmd.destinationsSentOn(p2));
        assertEquals(0, pmd.sentOn(p1).size());
        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_UNICAST));
        pmd.assertNoLeaks();
    }

    @Test
    void peerLearningForAStaleOrForeignPortIsIgnored()
    {
        pmd.install(p0, p1, p2);

        pmd.proxy.learnFromPeer(VAN_A, BOB, p2.slot(), GENERATION + 1);
        pmd.proxy.learnFromPeer(VAN_A + 1, CAROL, p2.slot(), GENERATION);
        pmd.proxy.learnFromPeer(VAN_A, CAROL, 99, GENERATION);
        pmd.agent.doWork();

        assertEquals(0, pmd.agent.fdbSize());
        pmd.receive(p0, Frames.frame(BOB, ALICE));
        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(1, pmd.sentOn(p2).size());
        pmd.assertNoLeaks();
    }
}
