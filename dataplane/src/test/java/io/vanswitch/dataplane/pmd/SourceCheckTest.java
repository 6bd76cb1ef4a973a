package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vanswitch.dataplane.pmd.PmdHarness.GENERATION;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Source identifiable: a port with an assigned MAC only admits frames from that MAC.
 */
class SourceCheckTest
{
    private static final long ASSIGNED = 0x0200_0000_0A00L;
    private static final long SPOOFED = 0x0200_0000_0BADL;
    private static final long BOB = 0x0200_0000_000BL;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding guarded = port(0, GENERATION, VAN_A, ASSIGNED);
    private final PortBinding open = port(1, VAN_A);
    private final PortBinding other = port(2, VAN_A);

    @BeforeEach
    void install()
    {
        pmd.install(guarded, open, other);
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void frameFromAnotherSourceIsDroppedAndCountedOnThatPort()
    {
        pmd.receive(guarded, Frames.frame(BOB, SPOOFED));

        assertEquals(0, pmd.io.sent().size());
        assertEquals(1, pmd.drops(guarded, DropReason.SOURCE_MAC_MISMATCH));
        assertEquals(0, pmd.drops(open, DropReason.SOURCE_MAC_MISMATCH));
        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_DROPPED));
        assertEquals(1, pmd.counters.port(guarded.slot(), PmdCounters.PORT_RX_PACKETS), "received, then dropped");
        assertEquals(0, pmd.van(VAN_A, PmdCounters.VAN_LEARNED));
        assertEquals(0, pmd.agent.fdbSize());
        pmd.assertNoLeaks();
    }

    @Test
    void frameFromTheAssignedSourceIsForwarded()
    {
        pmd.receive(guarded, Frames.frame(BOB, ASSIGNED));

        assertEquals(1, pmd.sentOn(open).size());
        assertEquals(1, pmd.sentOn(other).size());
        assertEquals(0, pmd.drops(guarded, DropReason.SOURCE_MAC_MISMATCH));
        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_LEARNED));
        pmd.assertNoLeaks();
    }

    @Test
    void spoofedFrameCannotStealALearnedMac()
    {
        pmd.receive(open, Frames.frame(ASSIGNED, BOB));

        pmd.receive(guarded, Frames.frame(ASSIGNED, BOB));
        pmd.io.clearSent();
        pmd.receive(other, Frames.frame(BOB, 0x0200_0000_000CL));

        assertEquals(List.of(BOB), pmd.destinationsSentOn(open), "Bob still on his own port");
        assertEquals(0, pmd.sentOn(guarded).size());
        assertEquals(1, pmd.drops(guarded, DropReason.SOURCE_MAC_MISMATCH));
        pmd.assertNoLeaks();
    }

    @Test
    void onlyTheOffendingFramesOfABurstAreDropped()
    {
        pmd.receive(guarded,
            Frames.frame(BOB, ASSIGNED), Frames.frame(BOB, SPOOFED), Frames.frame(BOB, ASSIGNED), Frames.frame(BOB, SPOOFED + 1));

        assertEquals(2, pmd.sentOn(open).size());
        assertEquals(2, pmd.drops(guarded, DropReason.SOURCE_MAC_MISMATCH));
        assertEquals(4, pmd.counters.port(guarded.slot(), PmdCounters.PORT_RX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void portWithoutAnAssignedMacAcceptsAnySource()
    {
        pmd.receive(open, Frames.frame(BOB, SPOOFED), Frames.frame(BOB, ASSIGNED));

        assertEquals(2, pmd.sentOn(other).size());
        assertEquals(0, pmd.drops(open, DropReason.SOURCE_MAC_MISMATCH));
        pmd.assertNoLeaks();
    }
}
