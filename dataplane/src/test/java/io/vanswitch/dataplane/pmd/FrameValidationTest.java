package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameValidationTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long BOB = 0x0200_0000_000BL;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding p0 = port(0, VAN_A);
    private final PortBinding p1 = port(1, VAN_A);

    @BeforeEach
    void install()
    {
        pmd.install(p0, p1);
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void frameShorterThanAnEthernetHeaderIsDroppedAsRunt()
    {
        pmd.receive(p0, Frames.runt(13), Frames.runt(0));

        assertEquals(0, pmd.io.sent().size());
        assertEquals(2, pmd.drops(p0, DropReason.RUNT));
        assertEquals(2, pmd.van(VAN_A, PmdCounters.VAN_DROPPED));
        assertEquals(13, pmd.counters.port(p0.slot(), PmdCounters.PORT_RX_BYTES));
        assertEquals(0, pmd.agent.fdbSize());
        pmd.assertNoLeaks();
    }

    @Test
    void bareHeaderIsLongEnough()
    {
        pmd.receive(p0, Frames.frame(BOB, ALICE, 0x88B5, 14));

        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(14, pmd.sentOn(p1).get(0).bytes().length);
        assertEquals(0, pmd.drops(p0, DropReason.RUNT));
        pmd.assertNoLeaks();
    }

    @Test
    void groupSourceMacIsDroppedAndNeverLearned()
    {
        pmd.receive(p0, Frames.frame(BOB, MacAddress.BROADCAST), Frames.frame(BOB, MacAddress.parse("01:00:5e:00:00:01")));

        assertEquals(0, pmd.io.sent().size());
        assertEquals(2, pmd.drops(p0, DropReason.INVALID_SOURCE_MAC));
        assertEquals(0, pmd.agent.fdbSize());
        pmd.assertNoLeaks();
    }

    @Test
    void zeroSourceMacIsDropped()
    {
        pmd.receive(p0, Frames.frame(BOB, 0));

        assertEquals(0, pmd.io.sent().size());
        assertEquals(1, pmd.drops(p0, DropReason.INVALID_SOURCE_MAC));
        pmd.assertNoLeaks();
    }

    @Test
    void badFramesDoNotStopTheRestOfTheBurst()
    {
        pmd.receive(p0, Frames.runt(6), Frames.frame(BOB, ALICE), Frames.frame(BOB, MacAddress.BROADCAST), Frames.frame(BOB, ALICE));

        assertEquals(2, pmd.sentOn(p1).size());
        assertEquals(1, pmd.drops(p0, DropReason.RUNT));
        assertEquals(1, pmd.drops(p0, DropReason.INVALID_SOURCE_MAC));
        assertEquals(4, pmd.counters.port(p0.slot(), PmdCounters.PORT_RX_PACKETS));
        pmd.assertNoLeaks();
    }
}
