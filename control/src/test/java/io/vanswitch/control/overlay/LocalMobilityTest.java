package io.vanswitch.control.overlay;

import io.vanswitch.control.overlay.LocalMobility.ClaimKind;
import io.vanswitch.control.overlay.LocalMobility.LocalClaim;
import io.vanswitch.control.overlay.LocalMobility.LocalVerdict;
import io.vanswitch.control.overlay.LocalMobility.RemoteLearn;
import io.vanswitch.control.overlay.RemoteRoutes.LearnOutcome;
import org.junit.jupiter.api.Test;

import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_A;
import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_B;
import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_C;
import static io.vanswitch.control.overlay.RemoteRoutesTest.OTHER_VAN;
import static io.vanswitch.control.overlay.RemoteRoutesTest.VAN;
import static io.vanswitch.control.overlay.RemoteRoutesTest.VM;
import static io.vanswitch.control.overlay.RemoteRoutesTest.VM_2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalMobilityTest
{
    /** This host sits between A and C: it loses ties to A and wins them against C. */
    private static final int SELF = HOST_B;

    private final RemoteRoutes routes = new RemoteRoutes();
    private final LocalMobility mobility = new LocalMobility(SELF, routes);

    @Test
    void aMacNeverSeenBeforeStartsAtTheInitialSequenceWithoutAnnouncement()
    {
        final LocalClaim claim = mobility.onLocalLearn(VAN, VM);

        assertEquals(new LocalClaim(ClaimKind.NEW, MobilitySequence.INITIAL, HostAddress.NONE), claim);
        assertFalse(claim.announce(), "an initial sequence beats nothing: LEARN only answers floods");
        assertTrue(mobility.isLocal(VAN, VM));
        assertEquals(0, mobility.sequenceOf(VAN, VM));
        assertFalse(mobility.isLocal(OTHER_VAN, VM));
    }

    @Test
    void migrationHereTakesTheNextSequenceAndRemovesTheRemoteRoute()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 0);

        final LocalClaim claim = mobility.onLocalLearn(VAN, VM);

        assertEquals(new LocalClaim(ClaimKind.MIGRATED_HERE, 4, HOST_A), claim);
        assertTrue(claim.announce());
        assertEquals(HostAddress.NONE, routes.lookup(VAN, VM));
        assertEquals(0, routes.routesVia(HOST_A));
        assertEquals(4, mobility.sequenceOf(VAN, VM));
    }

    @Test
    void migrationFromTheTopSequenceWrapsAndStillWins()
    {
        routes.onLearn(VAN, VM, HOST_A, 0xFFFF_FFFF, 0);

        final LocalClaim claim = mobility.onLocalLearn(VAN, VM);

        assertEquals(0, claim.sequence());
        assertTrue(MobilitySequence.isNewer(claim.sequence(), 0xFFFF_FFFF));
        assertEquals(0, mobility.sequenceOf(VAN, VM));
    }

    @Test
    void learningAnAlreadyLocalMacAgainChangesNothing()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 0);
        mobility.onLocalLearn(VAN, VM);

        final LocalClaim again = mobility.onLocalLearn(VAN, VM);

        assertEquals(new LocalClaim(ClaimKind.ALREADY_LOCAL, 4, HostAddress.NONE), again);
        assertFalse(again.announce());
        assertEquals(1, mobility.size());
    }

    @Test
    void aGoneMacIsForgotten()
    {
        mobility.onLocalLearn(VAN, VM);

        assertTrue(mobility.onLocalGone(VAN, VM));
        assertFalse(mobility.onLocalGone(VAN, VM));
        assertFalse(mobility.isLocal(VAN, VM));
        assertEquals(LocalMobility.NOT_LOCAL, mobility.sequenceOf(VAN, VM));
        assertEquals(0, mobility.size());
    }

    @Test
    void aRemoteLearnForANonLocalMacGoesToTheRoutes()
    {
        final RemoteLearn learn = mobility.onRemoteLearn(VAN, VM, HOST_A, 0, 0);

        assertEquals(new RemoteLearn(LocalVerdict.NOT_LOCAL, LearnOutcome.INSTALLED), learn);
        assertEquals(HOST_A, routes.lookup(VAN, VM));
    }

    @Test
    void aNewerRemoteClaimMovesTheMacAway()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 0);
        mobility.onLocalLearn(VAN, VM);

        // the VM moved on to C, which knew our claim (4)
        final RemoteLearn learn = mobility.onRemoteLearn(VAN, VM, HOST_C, 5, 100);

        assertEquals(new RemoteLearn(LocalVerdict.MOVED_AWAY, LearnOutcome.INSTALLED), learn);
        assertFalse(learn.local().localKept());
        assertFalse(mobility.isLocal(VAN, VM));
        assertEquals(HOST_C, routes.lookup(VAN, VM));
        assertEquals(5, routes.entries(100).getFirst().sequence());
    }

    @Test
    void anOlderRemoteClaimIsIgnoredAndTheLocalOneKept()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 0);
        mobility.onLocalLearn(VAN, VM);

        // A's claim from before the migration arrives late
        final RemoteLearn learn = mobility.onRemoteLearn(VAN, VM, HOST_A, 3, 100);

        assertEquals(new RemoteLearn(LocalVerdict.LOCAL_NEWER, LearnOutcome.IGNORED_LOCAL), learn);
        assertTrue(learn.local().localKept());
        assertTrue(mobility.isLocal(VAN, VM));
        assertEquals(HostAddress.NONE, routes.lookup(VAN, VM));
    }

    @Test
    void anEqualClaimFromALowerHostWinsTheTie()
    {
        mobility.onLocalLearn(VAN, VM);

        final RemoteLearn learn = mobility.onRemoteLearn(VAN, VM, HOST_A, 0, 0);

        assertEquals(new RemoteLearn(LocalVerdict.LOST_TIE, LearnOutcome.INSTALLED), learn);
        assertTrue(learn.local().duplicate());
        assertFalse(mobility.isLocal(VAN, VM));
        assertEquals(HOST_A, routes.lookup(VAN, VM));
    }

    @Test
    void anEqualClaimFromAHigherHostLosesTheTie()
    {
        mobility.onLocalLearn(VAN, VM);

        final RemoteLearn learn = mobility.onRemoteLearn(VAN, VM, HOST_C, 0, 0);

        assertEquals(new RemoteLearn(LocalVerdict.WON_TIE, LearnOutcome.IGNORED_LOCAL), learn);
        assertTrue(learn.local().duplicate());
        assertTrue(mobility.isLocal(VAN, VM));
        assertEquals(HostAddress.NONE, routes.lookup(VAN, VM));
    }

    @Test
    void aMacThatMovesAwayAndBackClimbsPastEveryClaim()
    {
        routes.onLearn(VAN, VM, HOST_A, 3, 0);
        assertEquals(4, mobility.onLocalLearn(VAN, VM).sequence());
        mobility.onRemoteLearn(VAN, VM, HOST_C, 5, 10);

        final LocalClaim back = mobility.onLocalLearn(VAN, VM);

        assertEquals(new LocalClaim(ClaimKind.MIGRATED_HERE, 6, HOST_C), back);
        assertEquals(HostAddress.NONE, routes.lookup(VAN, VM));
    }

    @Test
    void aMacIsNeverBothLocalAndRouted()
    {
        routes.onLearn(VAN, VM, HOST_A, 1, 0);
        mobility.onLocalLearn(VAN, VM);
        assertTrue(mobility.isLocal(VAN, VM) != (routes.lookup(VAN, VM) != HostAddress.NONE));

        mobility.onRemoteLearn(VAN, VM, HOST_C, 9, 0);
        assertTrue(mobility.isLocal(VAN, VM) != (routes.lookup(VAN, VM) != HostAddress.NONE));

        mobility.onLocalLearn(VAN, VM);
        assertTrue(mobility.isLocal(VAN, VM) != (routes.lookup(VAN, VM) != HostAddress.NONE));
    }

    @Test
    void anUpdateOnlyLearnAppliesToMacsThisHostKnows()
    {
        routes.onLearn(VAN, VM, HOST_A, 0, 0);
        mobility.onLocalLearn(VAN, VM_2);

        assertTrue(mobility.knows(VAN, VM), "routed");
        assertTrue(mobility.knows(VAN, VM_2), "local");
        assertFalse(mobility.knows(OTHER_VAN, VM), "no conversation with it here");
    }

    @Test
    void vansAreSeparate()
    {
        routes.onLearn(OTHER_VAN, VM, HOST_A, 3, 0);

        assertEquals(ClaimKind.NEW, mobility.onLocalLearn(VAN, VM).kind());
        assertEquals(HOST_A, routes.lookup(OTHER_VAN, VM), "the same MAC in another VAN keeps its route");
    }

    @Test
    void removeVanDropsItsLocalClaims()
    {
        mobility.onLocalLearn(VAN, VM);
        mobility.onLocalLearn(VAN, VM_2);
        mobility.onLocalLearn(OTHER_VAN, VM);

        assertEquals(2, mobility.removeVan(VAN));

        assertEquals(1, mobility.size());
        assertFalse(mobility.isLocal(VAN, VM));
        assertTrue(mobility.isLocal(OTHER_VAN, VM));
        assertEquals(0, mobility.removeVan(VAN));
    }

    @Test
    void aLearnFromThisHostItselfIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> mobility.onRemoteLearn(VAN, VM, SELF, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LocalMobility(HostAddress.NONE, routes));
    }
}
