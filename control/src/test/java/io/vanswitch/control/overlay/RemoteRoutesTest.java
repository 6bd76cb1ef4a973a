package io.vanswitch.control.overlay;

import io.vanswitch.control.overlay.RemoteRoutes.Entry;
import io.vanswitch.control.overlay.RemoteRoutes.LearnOutcome;
import io.vanswitch.control.overlay.RemoteRoutes.UnlearnOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteRoutesTest
{
    static final int VAN = 17;
    static final int OTHER_VAN = 42;
    static final long VM = 0x5254_0000_0001L;
    static final long VM_2 = 0x5254_0000_0002L;
    static final long VM_3 = 0x5254_0000_0003L;
    static final int HOST_A = HostAddress.parse("10.0.0.1");
    static final int HOST_B = HostAddress.parse("10.0.0.2");
    static final int HOST_C = HostAddress.parse("10.0.0.3");
    /** Negative as an int: must still compare above the 10.x hosts. */
    static final int HOST_HIGH = HostAddress.parse("192.168.1.1");

    private final RemoteRoutes routes = new RemoteRoutes();

    @Test
    void learnInstallsAnUnknownMac()
    {
        assertEquals(LearnOutcome.INSTALLED, routes.onLearn(VAN, VM, HOST_A, 0, 1_000));

        assertEquals(HOST_A, routes.lookup(VAN, VM));
        assertEquals(1, routes.size());
        assertEquals(1, routes.routesVia(HOST_A));
        assertEquals(List.of(new Entry(VAN, VM, HOST_A, 0, 500, 0)), routes.entries(1_500));
    }

    @Test
    void unknownMacHasNoHost()
    {
        assertEquals(HostAddress.NONE, routes.lookup(VAN, VM));
        routes.onLearn(VAN, VM, HOST_A, 0, 0);
        assertEquals(HostAddress.NONE, routes.lookup(OTHER_VAN, VM), "VANs are separate address spaces");
    }

    @Test
    void theSameMacInTwoVansIsTwoRoutes()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);
        assertEquals(LearnOutcome.INSTALLED, routes.onLearn(OTHER_VAN, VM, HOST_B, 0, 0));

        assertEquals(HOST_A, routes.lookup(VAN, VM));
        assertEquals(HOST_B, routes.lookup(OTHER_VAN, VM));
        assertEquals(2, routes.size());
    }

    @Test
    void aHigherSequenceFromAnotherHostMovesTheRoute()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 1_000);
        routes.recordHit(VAN, VM);

        assertEquals(LearnOutcome.MOVED, routes.onLearn(VAN, VM, HOST_B, 4, 2_000));

        assertEquals(HOST_B, routes.lookup(VAN, VM));
        assertEquals(0, routes.routesVia(HOST_A));
        assertEquals(1, routes.routesVia(HOST_B));
        assertEquals(List.of(new Entry(VAN, VM, HOST_B, 4, 0, 0)), routes.entries(2_000), "a moved route starts its age and hits anew");
        assertTrue(LearnOutcome.MOVED.changesForwarding());
    }

    @Test
    void aLowerSequenceIsStaleAndIgnored()
    {
        routes.onLearn(VAN, VM, HOST_B, 4, 0);

        assertEquals(LearnOutcome.IGNORED_STALE, routes.onLearn(VAN, VM, HOST_A, 3, 10));

        assertEquals(HOST_B, routes.lookup(VAN, VM));
        assertEquals(4, routes.entries(10).getFirst().sequence());
        assertFalse(LearnOutcome.IGNORED_STALE.changesForwarding());
    }

    @Test
    void theSameHostWithAHigherSequenceOnlyRaisesTheSequence()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 1_000);

        assertEquals(LearnOutcome.SEQUENCE_RAISED, routes.onLearn(VAN, VM, HOST_A, 5, 2_000));

        assertEquals(new Entry(VAN, VM, HOST_A, 5, 1_500, 0), routes.entries(2_500).getFirst(), "same location: age kept");
        assertFalse(LearnOutcome.SEQUENCE_RAISED.changesForwarding());
    }

    @Test
    void theSameClaimAgainIsUnchanged()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 0);

        assertEquals(LearnOutcome.UNCHANGED, routes.onLearn(VAN, VM, HOST_A, 3, 10));
        assertEquals(1, routes.size());
    }

    @Test
    void aRestartedHostsLowerSequenceKeepsTheRouteAndItsSequence()
    {
        routes.onLearn(VAN, VM, HOST_A, 7, 0);

        assertEquals(LearnOutcome.IGNORED_STALE, routes.onLearn(VAN, VM, HOST_A, 0, 10));

        assertEquals(HOST_A, routes.lookup(VAN, VM));
        assertEquals(7, routes.entries(10).getFirst().sequence());
    }

    @Test
    void anEqualSequenceFromALowerHostIsADuplicateThatMovesTheRoute()
    {
        routes.onLearn(VAN, VM, HOST_B, 2, 0);

        final LearnOutcome outcome = routes.onLearn(VAN, VM, HOST_A, 2, 10);

        assertEquals(LearnOutcome.DUPLICATE_MOVED, outcome);
        assertTrue(outcome.duplicate());
        assertTrue(outcome.changesForwarding());
        assertEquals(HOST_A, routes.lookup(VAN, VM));
    }

    @Test
    void anEqualSequenceFromAHigherHostIsADuplicateThatKeepsTheRoute()
    {
        routes.onLearn(VAN, VM, HOST_A, 2, 0);

        final LearnOutcome outcome = routes.onLearn(VAN, VM, HOST_B, 2, 10);

        assertEquals(LearnOutcome.DUPLICATE_KEPT, outcome);
        assertTrue(outcome.duplicate());
        assertFalse(outcome.changesForwarding());
        assertEquals(HOST_A, routes.lookup(VAN, VM));
    }

    @Test
    void theTieBreakIsTheSameWhateverOrderTheClaimsArriveIn()
    {
        final RemoteRoutes other = new RemoteRoutes();
        routes.onLearn(VAN, VM, HOST_HIGH, 9, 0);
        routes.onLearn(VAN, VM, HOST_C, 9, 0);
        other.onLearn(VAN, VM, HOST_C, 9, 0);
        other.onLearn(VAN, VM, HOST_HIGH, 9, 0);

        assertEquals(HOST_C, routes.lookup(VAN, VM), "192.168.1.1 is a higher address than 10.0.0.3 (unsigned)");
        assertEquals(HOST_C, other.lookup(VAN, VM));
    }

    @Test
    void sequencesWrapAround()
    {
        routes.onLearn(VAN, VM, HOST_A, 0xFFFF_FFFF, 0);

        assertEquals(LearnOutcome.MOVED, routes.onLearn(VAN, VM, HOST_B, 0, 10), "0 follows 0xFFFFFFFF");
        assertEquals(LearnOutcome.IGNORED_STALE, routes.onLearn(VAN, VM, HOST_A, 0xFFFF_FFFF, 20));
        assertEquals(HOST_B, routes.lookup(VAN, VM));
    }

    @Test
    void unlearnFromTheRoutesHostRemovesIt()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);

        assertEquals(UnlearnOutcome.REMOVED, routes.onUnlearn(VAN, VM, HOST_A));

        assertEquals(HostAddress.NONE, routes.lookup(VAN, VM));
        assertEquals(0, routes.size());
        assertEquals(0, routes.routesVia(HOST_A));
        assertArrayEquals(new int[0], routes.hosts());
    }

    @Test
    void unlearnFromTheOldHostDoesNotDeleteTheNewRoute()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 0);
        routes.onLearn(VAN, VM, HOST_B, 4, 10);

        // HOST_A answers DATA that was in flight before the move
        assertEquals(UnlearnOutcome.IGNORED_OTHER_HOST, routes.onUnlearn(VAN, VM, HOST_A));

        assertEquals(HOST_B, routes.lookup(VAN, VM));
    }

    @Test
    void unlearnOfAnUnknownMacChangesNothing()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);

        assertEquals(UnlearnOutcome.UNKNOWN, routes.onUnlearn(VAN, VM_2, HOST_A));
        assertEquals(UnlearnOutcome.UNKNOWN, routes.onUnlearn(OTHER_VAN, VM, HOST_A));
        assertEquals(1, routes.size());
    }

    @Test
    void peerDownRemovesOnlyItsRoutes()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);
        routes.onLearn(VAN, VM_2, HOST_A, 0, 0);
        routes.onLearn(OTHER_VAN, VM_3, HOST_A, 0, 0);
        routes.onLearn(VAN, VM_3, HOST_B, 0, 0);
        routes.onLearn(OTHER_VAN, VM, HOST_C, 0, 0);

        assertEquals(3, routes.onPeerDown(HOST_A));

        assertEquals(2, routes.size());
        assertEquals(0, routes.routesVia(HOST_A));
        assertEquals(HostAddress.NONE, routes.lookup(VAN, VM));
        assertEquals(HostAddress.NONE, routes.lookup(OTHER_VAN, VM_3));
        assertEquals(HOST_B, routes.lookup(VAN, VM_3));
        assertEquals(HOST_C, routes.lookup(OTHER_VAN, VM));
        assertArrayEquals(new int[]{HOST_B, HOST_C}, routes.hosts());
        assertEquals(0, routes.onPeerDown(HOST_A), "nothing left to remove");
    }

    @Test
    void routesViaCountsPerHostAndHostsAreListedInAddressOrder()
    {
        routes.onLearn(VAN, VM, HOST_HIGH, 0, 0);
        routes.onLearn(VAN, VM_2, HOST_B, 0, 0);
        routes.onLearn(OTHER_VAN, VM_2, HOST_B, 0, 0);

        assertEquals(2, routes.routesVia(HOST_B));
        assertEquals(1, routes.routesVia(HOST_HIGH));
        assertEquals(0, routes.routesVia(HOST_A));
        assertArrayEquals(new int[]{HOST_B, HOST_HIGH}, routes.hosts());
    }

    @Test
    void removeVanDropsOnlyThatVan()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);
        routes.onLearn(VAN, VM_2, HOST_B, 0, 0);
        routes.onLearn(OTHER_VAN, VM, HOST_A, 0, 0);

        assertEquals(2, routes.removeVan(VAN));

        assertEquals(1, routes.size());
        assertEquals(1, routes.routesVia(HOST_A));
        assertEquals(0, routes.routesVia(HOST_B));
        assertEquals(HOST_A, routes.lookup(OTHER_VAN, VM));
        assertEquals(0, routes.removeVan(VAN));
    }

    @Test
    void explicitRemovalTakesOneRoute()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);

        assertTrue(routes.remove(VAN, VM));
        assertFalse(routes.remove(VAN, VM));
        assertEquals(0, routes.routesVia(HOST_A));
    }

    @Test
    void hitsAreCountedPerRoute()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);
        routes.onLearn(VAN, VM_2, HOST_A, 0, 0);

        assertTrue(routes.recordHit(VAN, VM));
        assertTrue(routes.recordHit(VAN, VM));
        assertFalse(routes.recordHit(VAN, VM_3));

        assertEquals(List.of(new Entry(VAN, VM, HOST_A, 0, 5, 2), new Entry(VAN, VM_2, HOST_A, 0, 5, 0)), routes.entries(5));
    }

    @Test
    void entriesAreOrderedByVanThenMac()
    {
        routes.onLearn(OTHER_VAN, VM, HOST_A, 0, 0);
        routes.onLearn(VAN, VM_3, HOST_A, 1, 0);
        routes.onLearn(VAN, VM, HOST_B, 2, 0);

        assertEquals(List.of(
            new Entry(VAN, VM, HOST_B, 2, 0, 0),
            new Entry(VAN, VM_3, HOST_A, 1, 0, 0),
            new Entry(OTHER_VAN, VM, HOST_A, 0, 0, 0)), routes.entries(0));
    }

    @Test
    void routesNeverAgeByTimeAlone()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);

        final long aYearLater = 365L * 24 * 3600 * 1000;
        assertEquals(HOST_A, routes.lookup(VAN, VM));
        assertEquals(aYearLater, routes.entries(aYearLater).getFirst().ageMs());
        assertEquals(1, routes.size());
    }

    @Test
    void aFullTableRefusesNewMacsButStillMovesKnownOnes()
    {
        final RemoteRoutes small = new RemoteRoutes(2);
        small.onLearn(VAN, VM, HOST_A, 0, 0);
        small.onLearn(VAN, VM_2, HOST_A, 0, 0);

        assertEquals(LearnOutcome.REFUSED_FULL, small.onLearn(VAN, VM_3, HOST_A, 0, 0));
        assertEquals(HostAddress.NONE, small.lookup(VAN, VM_3));
        assertEquals(LearnOutcome.MOVED, small.onLearn(VAN, VM_2, HOST_B, 1, 0));
        assertEquals(2, small.size());

        small.onUnlearn(VAN, VM, HOST_A);
        assertEquals(LearnOutcome.INSTALLED, small.onLearn(VAN, VM_3, HOST_A, 0, 0), "room again");
    }

    @Test
    void valuesNoDecoderMayPassAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> routes.onLearn(VAN, VM, HostAddress.NONE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> routes.onLearn(VAN, 0xFFFF_FFFF_FFFFL, HOST_A, 0, 0), "broadcast");
        assertThrows(IllegalArgumentException.class, () -> routes.onLearn(VAN, 0x0100_5E00_0001L, HOST_A, 0, 0), "multicast");
        assertThrows(IllegalArgumentException.class, () -> routes.onLearn(VAN, 0, HOST_A, 0, 0), "zero");
        assertThrows(IllegalArgumentException.class, () -> routes.onLearn(VAN, 1L << 48, HOST_A, 0, 0), "wider than 48 bits");
        assertThrows(IllegalArgumentException.class, () -> new RemoteRoutes(0));
        assertEquals(0, routes.size());
    }
}
