package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.Burst;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_B;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloodingTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long UNKNOWN = 0x0200_0000_00FFL;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding a0 = port(0, VAN_A);
    private final PortBinding a1 = port(1, VAN_A);
    private final PortBinding a2 = port(2, VAN_A);
    private final PortBinding b3 = port(3, VAN_B);
    private final PortBinding b4 = port(4, VAN_B);

    @BeforeEach
    void install()
    {
        pmd.install(a0, a1, a2, b3, b4);
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void unknownUnicastFloodsToEveryOtherPortOfTheVanOnly()
    {
        final byte[] frame = Frames.frame(UNKNOWN, ALICE);

        pmd.receive(a0, frame);

        assertEquals(0, pmd.sentOn(a0).size(), "never back to the ingress port");
        assertEquals(1, pmd.sentOn(a1).size());
        assertEquals(1, pmd.sentOn(a2).size());
        assertArrayEquals(frame, pmd.sentOn(a1).get(0).bytes(), "forwarded unchanged");
        assertArrayEquals(frame, pmd.sentOn(a2).get(0).bytes());
        assertEquals(0, pmd.sentOn(b3).size(), "never into another VAN");
        assertEquals(0, pmd.sentOn(b4).size());
        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_FLOODED));
        assertEquals(0, pmd.van(VAN_A, PmdCounters.VAN_UNICAST));
        assertEquals(0, pmd.van(VAN_B, PmdCounters.VAN_RX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void floodCountsRxOnTheIngressAndTxOnEachEgress()
    {
        pmd.receive(a1, Frames.frame(UNKNOWN, ALICE, Frames.ETHER_TYPE_IPV4, 100));

        assertEquals(1, pmd.counters.port(a1.slot(), PmdCounters.PORT_RX_PACKETS));
        assertEquals(100, pmd.counters.port(a1.slot(), PmdCounters.PORT_RX_BYTES));
        assertEquals(0, pmd.counters.port(a1.slot(), PmdCounters.PORT_TX_PACKETS));
        for (final PortBinding egress : List.of(a0, a2))
        {
            assertEquals(1, pmd.counters.port(egress.slot(), PmdCounters.PORT_TX_PACKETS));
            assertEquals(100, pmd.counters.port(egress.slot(), PmdCounters.PORT_TX_BYTES));
        }
        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_RX_PACKETS));
        assertEquals(100, pmd.van(VAN_A, PmdCounters.VAN_RX_BYTES));
        assertEquals(1, pmd.counters.pmd(PmdCounters.PMD_RX_PACKETS));
        assertEquals(2, pmd.counters.pmd(PmdCounters.PMD_TX_PACKETS));
    }

    @Test
    void broadcastFloodsEvenWhenEveryMacIsKnown()
    {
        pmd.receive(a1, Frames.frame(UNKNOWN, 0x0200_0000_0001L));
        pmd.receive(a2, Frames.frame(UNKNOWN, 0x0200_0000_0002L));
        pmd.io.clearSent();

        pmd.receive(a0, Frames.frame(MacAddress.BROADCAST, ALICE));

        assertEquals(List.of(MacAddress.BROADCAST), pmd.destinationsSentOn(a1));
        assertEquals(List.of(MacAddress.BROADCAST), pmd.destinationsSentOn(a2));
        assertEquals(0, pmd.sentOn(a0).size());
        assertEquals(0, pmd.sentOn(b3).size() + pmd.sentOn(b4).size());
        assertEquals(3, pmd.van(VAN_A, PmdCounters.VAN_FLOODED));
        pmd.assertNoLeaks();
    }

    @Test
    void multicastFloods()
    {
        final long allHosts = MacAddress.parse("01:00:5e:00:00:01");
        final long ipv6AllNodes = MacAddress.parse("33:33:00:00:00:01");

        pmd.receive(b3, Frames.frame(allHosts, ALICE), Frames.frame(ipv6AllNodes, ALICE));

        assertEquals(List.of(allHosts, ipv6AllNodes), pmd.destinationsSentOn(b4));
        assertEquals(0, pmd.sentOn(b3).size());
        assertEquals(0, pmd.sentOn(a0).size() + pmd.sentOn(a1).size() + pmd.sentOn(a2).size());
        assertEquals(2, pmd.van(VAN_B, PmdCounters.VAN_FLOODED));
        pmd.assertNoLeaks();
    }

    @Test
    void fullBurstFloodsEveryFrameInOrderWithoutLeaking()
    {
        final byte[][] frames = new byte[Burst.MAX][];
        for (int i = 0; i < Burst.MAX; i++)
        {
            frames[i] = Frames.frame(UNKNOWN + 1 + i, ALICE);
        }

        pmd.receive(a0, frames);

        for (final PortBinding egress : List.of(a1, a2))
        {
            assertEquals(Burst.MAX, pmd.sentOn(egress).size());
            for (int i = 0; i < Burst.MAX; i++)
            {
                assertArrayEquals(frames[i], pmd.sentOn(egress).get(i).bytes());
            }
        }
        assertEquals(Burst.MAX, pmd.van(VAN_A, PmdCounters.VAN_FLOODED));
        pmd.assertNoLeaks();
    }

    @Test
    void moreThanABurstWaitingIsTakenOverSeveralDutyCycles()
    {
        for (int i = 0; i < Burst.MAX + 5; i++)
        {
            pmd.io.receive(a0.dpdkPortId(), Frames.frame(UNKNOWN, ALICE));
        }

        assertEquals(Burst.MAX, pmd.agent.doWork());
        assertEquals(5, pmd.agent.doWork());
        assertEquals(0, pmd.agent.doWork());

        assertEquals(Burst.MAX + 5, pmd.sentOn(a1).size());
        assertEquals(2, pmd.counters.pmd(PmdCounters.POLLS_BUSY));
        assertTrue(pmd.counters.pmd(PmdCounters.POLLS_IDLE) >= 1);
        pmd.assertNoLeaks();
    }
}
