package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_B;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Valid frames the switch has nowhere to send.
 */
class ForwardingDropTest
{
    private static final long ALICE = 0x0200_0000_000AL;
    private static final long BOB = 0x0200_0000_000BL;

    private final PmdHarness pmd = new PmdHarness();

    @AfterEach
    void close()
    {
        pmd.close();
    }

    @Test
    void destinationLearnedOnTheIngressPortIsDroppedAsSamePort()
    {
        final PortBinding p0 = port(0, VAN_A);
        final PortBinding p1 = port(1, VAN_A);
        pmd.install(p0, p1);
        pmd.receive(p0, Frames.frame(MacAddress.BROADCAST, BOB));
        pmd.io.clearSent();

        pmd.receive(p0, Frames.frame(BOB, ALICE));

        assertEquals(0, pmd.io.sent().size());
        assertEquals(1, pmd.drops(p0, DropReason.SAME_PORT));
        assertEquals(1, pmd.van(VAN_A, PmdCounters.VAN_DROPPED));
        assertEquals(0, pmd.van(VAN_A, PmdCounters.VAN_UNICAST));
        pmd.assertNoLeaks();
    }

    @Test
    void floodInAVanWithASinglePortIsDroppedAsNoDestination()
    {
        final PortBinding alone = port(0, VAN_A);
        final PortBinding elsewhere = port(1, VAN_B);
        pmd.install(alone, elsewhere);

        pmd.receive(alone, Frames.frame(BOB, ALICE), Frames.frame(MacAddress.BROADCAST, ALICE));

        assertEquals(0, pmd.io.sent().size());
        assertEquals(2, pmd.drops(alone, DropReason.NO_DESTINATION));
        assertEquals(0, pmd.drops(elsewhere, DropReason.NO_DESTINATION));
        pmd.assertNoLeaks();
    }
}
