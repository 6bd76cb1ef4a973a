package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_B;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two VANs whose guests use the same MACs (cloned images): each VAN is its own L2 domain.
 */
class VanIsolationTest
{
    private static final long X = 0x5254_0000_0001L;
    private static final long Y = 0x5254_0000_0002L;

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding a0 = port(0, VAN_A);
    private final PortBinding a1 = port(1, VAN_A);
    private final PortBinding a2 = port(2, VAN_A);
    private final PortBinding b3 = port(3, VAN_B);
    private final PortBinding b4 = port(4, VAN_B);
    private final PortBinding b5 = port(5, VAN_B);

    @BeforeEach
    void install()
    {
        pmd.install(a0, a1, a2, b3, b4, b5);
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    private void assertNothingSentIn(final PortBinding... ports)
    {
        for (final PortBinding port : ports)
        {
            assertEquals(0, pmd.sentOn(port).size(), "nothing on " + port.name());
        }
    }

    @Test
    void floodsStayInsideTheirVan()
    {
        pmd.receive(a0, Frames.frame(Y, X), Frames.frame(MacAddress.BROADCAST, X));
        assertNothingSentIn(b3, b4, b5);
        assertEquals(2, pmd.sentOn(a1).size());

        pmd.io.clearSent();
        pmd.receive(b3, Frames.frame(Y, X), Frames.frame(MacAddress.BROADCAST, X));
        assertNothingSentIn(a0, a1, a2);
        assertEquals(2, pmd.sentOn(b4).size());
        assertEquals(2, pmd.sentOn(b5).size());
        pmd.assertNoLeaks();
    }

    @Test
    void learningInOneVanDoesNotAffectTheOther()
    {
        pmd.receive(a0, Frames.frame(Y, X));
        pmd.receive(a1, Frames.frame(X, Y));
        pmd.io.clearSent();

        pmd.receive(b3, Frames.frame(Y, X));

        assertNothingSentIn(a0, a1, a2);
        assertEquals(List.of(Y), pmd.destinationsSentOn(b4), "Y is unknown in VAN B: flooded there");
        assertEquals(List.of(Y), pmd.destinationsSentOn(b5));
        assertEquals(0, pmd.van(VAN_B, PmdCounters.VAN_UNICAST));
        assertEquals(1, pmd.van(VAN_B, PmdCounters.VAN_FLOODED));
        pmd.assertNoLeaks();
    }

    @Test
    void sameMacsAreLearnedOnDifferentPortsPerVan()
    {
        pmd.receive(a0, Frames.frame(Y, X));
        pmd.receive(a1, Frames.frame(X, Y));
        pmd.receive(b5, Frames.frame(Y, X));
        pmd.receive(b4, Frames.frame(X, Y));
        pmd.io.clearSent();

        pmd.receive(a0, Frames.frame(Y, X));
        pmd.receive(b5, Frames.frame(Y, X));

        assertEquals(List.of(Y), pmd.destinationsSentOn(a1));
        assertEquals(List.of(Y), pmd.destinationsSentOn(b4));
        assertNothingSentIn(a0, a2, b3, b5);
        assertEquals(4, pmd.agent.fdbSize());
        assertEquals(2, pmd.van(VAN_A, PmdCounters.VAN_LEARNED));
        assertEquals(2, pmd.van(VAN_B, PmdCounters.VAN_LEARNED));
        pmd.assertNoLeaks();
    }

    @Test
    void flushingOneVanKeepsTheOthersTable()
    {
        pmd.receive(a1, Frames.frame(X, Y));
        pmd.receive(b4, Frames.frame(X, Y));

        final var done = pmd.proxy.flushVan(VAN_A);
        pmd.agent.doWork();
        assertTrue(done.isDone());
        pmd.io.clearSent();

        pmd.receive(a0, Frames.frame(Y, X));
        pmd.receive(b3, Frames.frame(Y, X));

        assertEquals(1, pmd.sentOn(a2).size(), "VAN A forgot Y: flooded");
        assertEquals(List.of(Y), pmd.destinationsSentOn(b4), "VAN B still knows Y");
        assertNothingSentIn(b5);
        pmd.assertNoLeaks();
    }
}
