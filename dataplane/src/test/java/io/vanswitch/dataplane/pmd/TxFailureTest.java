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

/**
 * A tx queue that takes fewer frames than offered (ring full, peer gone): the rest are freed and
 * counted, never held.
 */
class TxFailureTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long BOB = 0x0200_0000_000BL;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding p0 = port(0, VAN_A);
    private final PortBinding p1 = port(1, VAN_A);
    private final PortBinding p2 = port(2, VAN_A);

    @BeforeEach
    void install()
    {
        pmd.install(p0, p1, p2);
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void framesAQueueRefusesAreCountedAsTxFailedAndFreed()
    {
        pmd.receive(p1, Frames.frame(MacAddress.BROADCAST, BOB));
        pmd.io.clearSent();
        pmd.io.acceptTxPerCall(p1.dpdkPortId(), 1);

        pmd.receive(p0,
            Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, 100),
            Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, 200),
            Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, 300));

        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(100, pmd.sentOn(p1).get(0).bytes().length, "the queue took the first frame");
        assertEquals(2, pmd.drops(p1, DropReason.TX_FAILED));
        assertEquals(1, pmd.counters.port(p1.slot(), PmdCounters.PORT_TX_PACKETS));
        assertEquals(100, pmd.counters.port(p1.slot(), PmdCounters.PORT_TX_BYTES), "bytes of frames sent only");
        assertEquals(0, pmd.drops(p0, DropReason.TX_FAILED));
        pmd.assertNoLeaks();
    }

    @Test
    void floodCopiesToAStuckPortAreFreedWhileOtherPortsStillGetTheirs()
    {
        pmd.io.acceptTxPerCall(p2.dpdkPortId(), 0);

        pmd.receive(p0, Frames.frame(BOB, ALICE), Frames.frame(MacAddress.BROADCAST, ALICE), Frames.frame(BOB, ALICE));

        assertEquals(3, pmd.sentOn(p1).size());
        assertEquals(0, pmd.sentOn(p2).size());
        assertEquals(3, pmd.drops(p2, DropReason.TX_FAILED));
        assertEquals(0, pmd.counters.port(p2.slot(), PmdCounters.PORT_TX_PACKETS));
        assertEquals(0, pmd.counters.port(p2.slot(), PmdCounters.PORT_TX_BYTES));
        assertEquals(3, pmd.counters.port(p1.slot(), PmdCounters.PORT_TX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void everyEgressRefusingStillLeaksNothing()
    {
        pmd.io.acceptTxPerCall(p1.dpdkPortId(), 0);
        pmd.io.acceptTxPerCall(p2.dpdkPortId(), 0);

        pmd.receive(p0, Frames.frame(BOB, ALICE), Frames.frame(BOB, ALICE));

        assertEquals(0, pmd.io.sent().size());
        assertEquals(2, pmd.drops(p1, DropReason.TX_FAILED));
        assertEquals(2, pmd.drops(p2, DropReason.TX_FAILED));
        pmd.assertNoLeaks();
    }
}
