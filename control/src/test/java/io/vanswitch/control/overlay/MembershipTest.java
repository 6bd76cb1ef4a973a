package io.vanswitch.control.overlay;

import io.vanswitch.control.overlay.Membership.AnnounceOutcome;
import org.junit.jupiter.api.Test;

import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_A;
import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_B;
import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_C;
import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_HIGH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipTest
{
    private static final int SELF = HostAddress.parse("10.0.0.9");
    private static final int RED = 17;
    private static final int BLUE = 42;
    private static final int GREEN = 99;

    private final Membership membership = new Membership(SELF, 1_000);

    @Test
    void anAnnounceMakesTheHostAFloodTargetOfItsVans()
    {
        assertEquals(AnnounceOutcome.APPLIED, membership.onAnnounce(HOST_A, 1, new int[]{RED, BLUE}));
        membership.onAnnounce(HOST_B, 1, new int[]{RED});

        assertArrayEquals(new int[]{HOST_A, HOST_B}, membership.floodTargets(RED));
        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(BLUE));
        assertArrayEquals(new int[0], membership.floodTargets(GREEN));
        assertArrayEquals(new int[]{RED, BLUE}, membership.announcedVans(HOST_A));
        assertEquals(1, membership.epochOf(HOST_A));
        assertEquals(Membership.NO_EPOCH, membership.epochOf(HOST_C));
    }

    @Test
    void aNewerEpochReplacesTheWholeSet()
    {
        membership.onAnnounce(HOST_A, 1, new int[]{RED, BLUE});

        assertEquals(AnnounceOutcome.APPLIED, membership.onAnnounce(HOST_A, 2, new int[]{BLUE, GREEN}));

        assertArrayEquals(new int[0], membership.floodTargets(RED));
        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(BLUE));
        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(GREEN));
        assertEquals(2, membership.epochOf(HOST_A));
    }

    @Test
    void anOlderEpochIsIgnored()
    {
        membership.onAnnounce(HOST_A, 5, new int[]{BLUE});

        // delayed on the way: from before the host left RED
        assertEquals(AnnounceOutcome.IGNORED_OLD, membership.onAnnounce(HOST_A, 4, new int[]{RED, BLUE}));

        assertArrayEquals(new int[0], membership.floodTargets(RED));
        assertEquals(5, membership.epochOf(HOST_A));
    }

    @Test
    void aRepeatedAnnounceChangesNothing()
    {
        membership.onAnnounce(HOST_A, 5, new int[]{RED, BLUE});
        final int[] targets = membership.floodTargets(RED);
        final long version = membership.targetsVersion();

        assertEquals(AnnounceOutcome.UNCHANGED, membership.onAnnounce(HOST_A, 5, new int[]{BLUE, RED, RED}));
        assertEquals(AnnounceOutcome.UNCHANGED, membership.onAnnounce(HOST_A, 6, new int[]{RED, BLUE}));

        assertSame(targets, membership.floodTargets(RED));
        assertEquals(version, membership.targetsVersion());
        assertEquals(6, membership.epochOf(HOST_A), "a newer epoch with the same set still moves the epoch");
    }

    @Test
    void withdrawRemovesOneVanWithoutMovingTheEpoch()
    {
        membership.onAnnounce(HOST_A, 5, new int[]{RED, BLUE});

        assertTrue(membership.onWithdraw(HOST_A, 7, RED));

        assertArrayEquals(new int[0], membership.floodTargets(RED));
        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(BLUE));
        assertEquals(5, membership.epochOf(HOST_A));
        // the host's refresh at its current epoch still applies in full
        assertEquals(AnnounceOutcome.APPLIED, membership.onAnnounce(HOST_A, 7, new int[]{BLUE, GREEN}));
        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(GREEN));
    }

    @Test
    void aWithdrawOlderThanTheSetHeldIsIgnored()
    {
        membership.onAnnounce(HOST_A, 5, new int[]{RED});

        // sent at epoch 4, before the host joined RED again
        assertFalse(membership.onWithdraw(HOST_A, 4, RED));

        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(RED));
    }

    @Test
    void withdrawOfWhatIsNotHeldChangesNothing()
    {
        membership.onAnnounce(HOST_A, 5, new int[]{RED});

        assertFalse(membership.onWithdraw(HOST_A, 5, BLUE));
        assertFalse(membership.onWithdraw(HOST_B, 5, RED), "a host never heard from");
        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(RED));
    }

    @Test
    void peerDownRemovesItsAnnouncedVansOnly()
    {
        membership.onAnnounce(HOST_A, 5, new int[]{RED, BLUE});
        membership.onAnnounce(HOST_B, 1, new int[]{RED});

        assertEquals(2, membership.onPeerDown(HOST_A));

        assertArrayEquals(new int[]{HOST_B}, membership.floodTargets(RED));
        assertArrayEquals(new int[0], membership.floodTargets(BLUE));
        assertEquals(0, membership.onPeerDown(HOST_A));
        assertEquals(0, membership.onPeerDown(HOST_C));
    }

    @Test
    void afterPeerDownTheHostsRefreshBringsItBackButADelayedOlderAnnounceDoesNot()
    {
        membership.onAnnounce(HOST_A, 5, new int[]{RED});
        membership.onPeerDown(HOST_A);

        assertEquals(AnnounceOutcome.IGNORED_OLD, membership.onAnnounce(HOST_A, 4, new int[]{RED, BLUE}));
        assertArrayEquals(new int[0], membership.floodTargets(RED));

        // the partition healed: the host refreshes the same epoch
        assertEquals(AnnounceOutcome.APPLIED, membership.onAnnounce(HOST_A, 5, new int[]{RED}));
        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(RED));
    }

    @Test
    void staticMembersSurvivePeerDownAndAnnouncements()
    {
        assertTrue(membership.staticOverride(RED, new int[]{HOST_C}));
        membership.onAnnounce(HOST_C, 1, new int[]{RED});
        membership.onAnnounce(HOST_A, 1, new int[]{RED});

        membership.onPeerDown(HOST_C);
        assertArrayEquals(new int[]{HOST_A, HOST_C}, membership.floodTargets(RED));

        membership.onAnnounce(HOST_C, 2, new int[0]);
        membership.onWithdraw(HOST_C, 3, RED);
        assertArrayEquals(new int[]{HOST_A, HOST_C}, membership.floodTargets(RED));
        assertArrayEquals(new int[]{HOST_C}, membership.staticMembers(RED));
    }

    @Test
    void staticMembersCanBeReplacedAndCleared()
    {
        membership.staticOverride(BLUE, new int[]{HOST_B, HOST_A, HOST_B});
        assertArrayEquals(new int[]{HOST_A, HOST_B}, membership.floodTargets(BLUE));

        assertFalse(membership.staticOverride(BLUE, new int[]{HOST_A, HOST_B}), "same members");
        assertTrue(membership.staticOverride(BLUE, new int[]{HOST_C}));
        assertArrayEquals(new int[]{HOST_C}, membership.floodTargets(BLUE));

        assertTrue(membership.staticOverride(BLUE, new int[0]));
        assertArrayEquals(new int[0], membership.floodTargets(BLUE));
        assertArrayEquals(new int[0], membership.staticMembers(BLUE));
        assertThrows(IllegalArgumentException.class, () -> membership.staticOverride(BLUE, new int[]{HostAddress.NONE}));
    }

    @Test
    void floodTargetsExcludeSelf()
    {
        membership.staticOverride(RED, new int[]{SELF, HOST_A});
        assertEquals(AnnounceOutcome.IGNORED_SELF, membership.onAnnounce(SELF, 99, new int[]{RED, BLUE}));

        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(RED));
        assertArrayEquals(new int[0], membership.floodTargets(BLUE));
    }

    @Test
    void floodTargetsAreInUnsignedAddressOrder()
    {
        membership.onAnnounce(HOST_HIGH, 1, new int[]{RED});
        membership.onAnnounce(HOST_B, 1, new int[]{RED});
        membership.onAnnounce(HOST_A, 1, new int[]{RED});

        assertArrayEquals(new int[]{HOST_A, HOST_B, HOST_HIGH}, membership.floodTargets(RED));
    }

    @Test
    void floodTargetsKeepTheirIdentityUntilTheirVanChanges()
    {
        membership.onAnnounce(HOST_A, 1, new int[]{RED});
        membership.onAnnounce(HOST_B, 1, new int[]{BLUE});
        final int[] red = membership.floodTargets(RED);
        final int[] blue = membership.floodTargets(BLUE);
        final long version = membership.targetsVersion();

        membership.onAnnounce(HOST_C, 1, new int[]{BLUE});
        assertSame(red, membership.floodTargets(RED), "RED did not change");
        assertNotSame(blue, membership.floodTargets(BLUE));
        assertArrayEquals(new int[]{HOST_B}, blue, "a published array is never written again");
        assertTrue(membership.targetsVersion() != version);

        final int[] blueNow = membership.floodTargets(BLUE);
        final long versionNow = membership.targetsVersion();
        membership.staticOverride(BLUE, new int[]{HOST_B});
        assertSame(blueNow, membership.floodTargets(BLUE), "a static member that also announced: same targets");
        assertEquals(versionNow, membership.targetsVersion());
    }

    @Test
    void localVanChangesSayWhenAnAnnounceIsDue()
    {
        assertTrue(membership.localVanAdded(BLUE));
        assertEquals(1_001, membership.localEpoch());
        assertTrue(membership.localVanAdded(RED));
        assertFalse(membership.localVanAdded(RED), "already served");
        assertEquals(1_002, membership.localEpoch());
        assertArrayEquals(new int[]{RED, BLUE}, membership.localVans());
        assertTrue(membership.servesLocally(RED));

        assertTrue(membership.localVanRemoved(RED));
        assertFalse(membership.localVanRemoved(RED));
        assertFalse(membership.localVanRemoved(GREEN));
        assertEquals(1_003, membership.localEpoch());
        assertArrayEquals(new int[]{BLUE}, membership.localVans());
        assertFalse(membership.servesLocally(RED));
    }

    @Test
    void theAnnouncedArrayIsCopied()
    {
        final int[] vans = {RED};
        membership.onAnnounce(HOST_A, 1, vans);
        vans[0] = BLUE;

        assertArrayEquals(new int[]{HOST_A}, membership.floodTargets(RED));
        assertArrayEquals(new int[0], membership.floodTargets(BLUE));
    }
}
