package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several PMD threads share the ports: each polls its own rx queues and sends on its own tx queue.
 */
class PmdPollingTest
{
    private static final int THIS_PMD = 1;
    private static final int OTHER_PMD = 0;
    private static final long ALICE = 0x0200_0000_000AL;

    private final PmdHarness pmd = new PmdHarness(THIS_PMD, 1024);
    private final PortBinding mine = binding(0, THIS_PMD);
    private final PortBinding theirs = binding(1, OTHER_PMD);

    private static PortBinding binding(final int slot, final int pmdIndex)
    {
        return new PortBinding(slot, 1, "port" + slot, PmdHarness.dpdkPortId(slot), VAN_A, MacAddress.NONE, pmdIndex, 0);
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void pollsOnlyItsOwnPortsAndSendsOnItsOwnTxQueue()
    {
        pmd.install(mine, theirs);
        pmd.io.receive(theirs.dpdkPortId(), Frames.frame(MacAddress.BROADCAST, ALICE));

        pmd.receive(mine, Frames.frame(MacAddress.BROADCAST, ALICE));

        assertEquals(1, pmd.io.pendingRx(theirs.dpdkPortId()), "left for the other PMD");
        assertEquals(1, pmd.sentOn(theirs).size());
        assertEquals(THIS_PMD, pmd.sentOn(theirs).get(0).queueId());
    }

    @Test
    void removedPortIsNoLongerPolled()
    {
        final PortBinding other = binding(2, THIS_PMD);
        pmd.install(mine, other);
        pmd.install(mine);

        pmd.io.receive(other.dpdkPortId(), Frames.frame(MacAddress.BROADCAST, ALICE));
        pmd.agent.doWork();

        assertEquals(1, pmd.io.pendingRx(other.dpdkPortId()));
        assertEquals(0, pmd.counters.pmd(PmdCounters.PMD_RX_PACKETS));
    }

    @Test
    void oneDutyCycleInTheSampleIntervalTimesItsRxCalls()
    {
        // a second port of this PMD that stays empty: sampling every n-th rx call instead of every
        // n-th cycle would always land on the same one of the two ports
        final PortBinding quiet = binding(2, THIS_PMD);
        pmd.install(mine, quiet, theirs);
        final int cycles = 3 * PmdAgent.RX_SAMPLE_INTERVAL;
        for (int i = 0; i < cycles; i++)
        {
            pmd.receive(mine, Frames.frame(MacAddress.BROADCAST, ALICE));
        }

        assertEquals(cycles, pmd.counters.pmd(PmdCounters.PMD_RX_PACKETS));
        assertEquals(3, pmd.counters.pmd(PmdCounters.RX_SAMPLED_PACKETS), "three cycles timed, one frame each");
        assertTrue(pmd.counters.pmd(PmdCounters.RX_SAMPLED_NANOS) > 0);

        // empty polls are idle time, not receiving: timed, they add nothing
        for (int i = 0; i < cycles; i++)
        {
            pmd.agent.doWork();
        }
        assertEquals(3, pmd.counters.pmd(PmdCounters.RX_SAMPLED_PACKETS));
    }

    @Test
    void threadHooksReachTheDeviceLayer()
    {
        pmd.agent.onStart();
        pmd.agent.onClose();

        assertEquals(1, pmd.io.threadStarts());
        assertEquals(1, pmd.io.threadStops());
        assertEquals("vanswitch-pmd-1", pmd.agent.roleName());
    }
}
