package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.testing.Frames;
import io.vanswitch.dataplane.testing.Hex;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.vanswitch.dataplane.testing.OverlayFrames.arp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ARP proxy on its own: what every ARP frame in a VAN teaches it, and which requests it turns
 * into replies in place. Frames are copied into native memory, processed there, and read back.
 */
class ArpProxyTest
{
    private static final int VAN = 0;
    private static final int OTHER_VAN = 1;
    private static final int REQUEST = 1;
    private static final int REPLY = 2;

    private static final long ALICE = 0x5254_0000_0001L;
    private static final int ALICE_IP = 0x0A01_0001;
    private static final long BOB = 0x5254_0000_0002L;
    private static final int BOB_IP = 0x0A01_0002;
    private static final long BOB_MIGRATED = 0x5254_0000_00B2L;
    private static final long CAROL = 0x5254_0000_0003L;
    private static final int CAROL_IP = 0x0A01_0003;

    /** Who has 10.1.0.2? Tell 10.1.0.1 (52:54:00:00:00:01), broadcast, padded with zeros to 60 bytes. */
    private static final byte[] ALICE_ASKS_FOR_BOB = Hex.bytes(
        "ff ff ff ff ff ff 52 54 00 00 00 01 08 06" +
        "00 01 08 00 06 04 00 01 52 54 00 00 00 01 0a 01 00 01 00 00 00 00 00 00 0a 01 00 02" +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

    /** 10.1.0.2 is at 52:54:00:00:00:02, to Alice only, as if Bob had answered; the padding as it came. */
    private static final byte[] BOB_ANSWERS_ALICE = Hex.bytes(
        "52 54 00 00 00 01 52 54 00 00 00 02 08 06" +
        "00 01 08 00 06 04 00 02 52 54 00 00 00 02 0a 01 00 02 52 54 00 00 00 01 0a 01 00 01" +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

    private final ArpProxy proxy = new ArpProxy(1024);
    private final UnsafeBuffer memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));

    /** Runs the frame through the proxy in native memory and copies the result back into it. */
    private boolean process(final ArpProxy proxy, final int vanIndex, final byte[] frame, final int length, final boolean mayAnswer)
    {
        memory.putBytes(0, frame);
        final boolean answered = proxy.process(vanIndex, memory.addressOffset(), length, mayAnswer);
        memory.getBytes(0, frame);
        return answered;
    }

    private boolean process(final int vanIndex, final byte[] frame, final boolean mayAnswer)
    {
        return process(proxy, vanIndex, frame, frame.length, mayAnswer);
    }

    /** Bob tells the proxy where he is by asking for someone nobody knows. */
    private void teachBob(final int vanIndex)
    {
        assertFalse(process(vanIndex, arp(MacAddress.BROADCAST, REQUEST, BOB, BOB_IP, 0, 0x0A01_00FF), false));
    }

    @Test
    void learnsTheSenderOfARequest()
    {
        final byte[] frame = ALICE_ASKS_FOR_BOB.clone();

        assertFalse(process(VAN, frame, true), "Bob is not known yet: nothing to answer");

        assertArrayEquals(ALICE_ASKS_FOR_BOB, frame, "left to be flooded as it came");
        assertEquals(ALICE, proxy.lookup(VAN, ALICE_IP));
        assertEquals(MacAddress.NONE, proxy.lookup(VAN, BOB_IP), "the target of a request teaches nothing");
        assertEquals(1, proxy.size());
    }

    @Test
    void learnsTheSenderOfAReply()
    {
        assertFalse(process(VAN, BOB_ANSWERS_ALICE.clone(), true), "replies are learned from, never answered");

        assertEquals(BOB, proxy.lookup(VAN, BOB_IP));
        assertEquals(MacAddress.NONE, proxy.lookup(VAN, ALICE_IP), "the target of a reply teaches nothing");
    }

    @Test
    void theSameAddressInTwoVansIsTwoIndependentBindings()
    {
        process(VAN, arp(MacAddress.BROADCAST, REQUEST, BOB, BOB_IP, 0, CAROL_IP), false);
        process(OTHER_VAN, arp(MacAddress.BROADCAST, REQUEST, CAROL, BOB_IP, 0, ALICE_IP), false);

        assertEquals(BOB, proxy.lookup(VAN, BOB_IP));
        assertEquals(CAROL, proxy.lookup(OTHER_VAN, BOB_IP));
        assertEquals(2, proxy.size());

        final byte[] inOtherVan = arp(MacAddress.BROADCAST, REQUEST, ALICE, ALICE_IP, 0, BOB_IP);
        assertTrue(process(OTHER_VAN, inOtherVan, true));
        assertEquals(CAROL, Frames.source(inOtherVan), "answered from the binding of the request's own VAN");
    }

    @Test
    void answersARequestForAKnownAddressInPlaceWithExactlyTheReply()
    {
        teachBob(VAN);
        final byte[] frame = ALICE_ASKS_FOR_BOB.clone();

        assertTrue(process(VAN, frame, true));

        assertArrayEquals(BOB_ANSWERS_ALICE, frame, Hex.dump(frame));
        assertEquals(ALICE, proxy.lookup(VAN, ALICE_IP), "the requester is learned as well");
    }

    @Test
    void answersWithinTheFirstSegmentOfAnUnpaddedRequest()
    {
        teachBob(VAN);
        final byte[] frame = Arrays.copyOf(ALICE_ASKS_FOR_BOB, 42);

        assertTrue(process(proxy, VAN, frame, 42, true));

        assertArrayEquals(Arrays.copyOf(BOB_ANSWERS_ALICE, 42), frame);
    }

    @Test
    void doesNotAnswerForAnUnknownAddress()
    {
        teachBob(VAN);
        final byte[] frame = arp(MacAddress.BROADCAST, REQUEST, ALICE, ALICE_IP, 0, CAROL_IP);
        final byte[] before = frame.clone();

        assertFalse(process(VAN, frame, true));

        assertArrayEquals(before, frame);
    }

    @Test
    void doesNotAnswerFromAnotherVansBinding()
    {
        teachBob(OTHER_VAN);
        final byte[] frame = ALICE_ASKS_FOR_BOB.clone();

        assertFalse(process(VAN, frame, true));

        assertArrayEquals(ALICE_ASKS_FOR_BOB, frame);
    }

    @Test
    void doesNotAnswerAGratuitousArpButLearnsTheMove()
    {
        teachBob(VAN);
        // Bob's VM migrated (or failed over) and announces its address at its new MAC
        final byte[] announcement = arp(MacAddress.BROADCAST, REQUEST, BOB_MIGRATED, BOB_IP, 0, BOB_IP);
        final byte[] before = announcement.clone();

        assertFalse(process(VAN, announcement, true), "an announcement is flooded, not answered");

        assertArrayEquals(before, announcement);
        assertEquals(BOB_MIGRATED, proxy.lookup(VAN, BOB_IP), "the binding moved");
        final byte[] request = ALICE_ASKS_FOR_BOB.clone();
        assertTrue(process(VAN, request, true));
        assertEquals(BOB_MIGRATED, Frames.source(request), "answered with the new MAC");
        assertEquals(2, proxy.size(), "Bob moved, Alice added: nothing else");
    }

    @Test
    void gratuitousReplyMovesTheBindingToo()
    {
        teachBob(VAN);

        assertFalse(process(VAN, arp(MacAddress.BROADCAST, REPLY, BOB_MIGRATED, BOB_IP, MacAddress.BROADCAST, BOB_IP), true));

        assertEquals(BOB_MIGRATED, proxy.lookup(VAN, BOB_IP));
    }

    @Test
    void neitherAnswersNorLearnsFromAProbe()
    {
        teachBob(VAN);
        // RFC 5227: "is 10.1.0.2 in use?" from a host that has no address yet
        final byte[] probe = arp(MacAddress.BROADCAST, REQUEST, ALICE, 0, 0, BOB_IP);
        final byte[] before = probe.clone();

        assertFalse(process(VAN, probe, true), "the owner must answer a probe itself, so the conflict shows");

        assertArrayEquals(before, probe);
        assertEquals(MacAddress.NONE, proxy.lookup(VAN, 0));
        assertEquals(1, proxy.size());
    }

    @Test
    void doesNotAnswerARequestForTheSendersOwnBinding()
    {
        // Alice holds two addresses; asking for one from the other would only tell her her own MAC
        process(VAN, arp(MacAddress.BROADCAST, REQUEST, ALICE, CAROL_IP, 0, BOB_IP), false);
        final byte[] frame = arp(MacAddress.BROADCAST, REQUEST, ALICE, ALICE_IP, 0, CAROL_IP);
        final byte[] before = frame.clone();

        assertFalse(process(VAN, frame, true));

        assertArrayEquals(before, frame);
    }

    @Test
    void stillLearnsButNeverAnswersWhenNotAllowedTo()
    {
        teachBob(VAN);
        final byte[] frame = ALICE_ASKS_FOR_BOB.clone();

        // as for ARP arriving from a peer host: answers come from local requests only
        assertFalse(process(VAN, frame, false));

        assertArrayEquals(ALICE_ASKS_FOR_BOB, frame);
        assertEquals(ALICE, proxy.lookup(VAN, ALICE_IP));
    }

    @Test
    void ignoresFramesThatAreNotEthernetIpv4Arp()
    {
        final byte[] ipv4 = Frames.frame(MacAddress.BROADCAST, ALICE);
        final byte[] tokenRing = arp(MacAddress.BROADCAST, REQUEST, ALICE, ALICE_IP, 0, BOB_IP);
        tokenRing[15] = 6; // hardware type 6
        final byte[] truncated = Arrays.copyOf(arp(MacAddress.BROADCAST, REQUEST, ALICE, ALICE_IP, 0, BOB_IP), 41);

        assertFalse(process(VAN, ipv4, true));
        assertFalse(process(VAN, tokenRing, true));
        assertFalse(process(proxy, VAN, truncated, truncated.length, true));

        assertEquals(0, proxy.size());
    }

    @Test
    void neverLearnsAGroupOrZeroSenderMac()
    {
        process(VAN, arp(MacAddress.BROADCAST, REQUEST, 0x0100_5E00_0001L, ALICE_IP, 0, BOB_IP), false);
        process(VAN, arp(MacAddress.BROADCAST, REQUEST, 0, BOB_IP, 0, ALICE_IP), false);

        assertEquals(0, proxy.size());
        assertEquals(MacAddress.NONE, proxy.lookup(VAN, ALICE_IP));
    }

    @Test
    void learnsNoNewAddressesWhenFullButStillFollowsKnownOnes()
    {
        final ArpProxy small = new ArpProxy(2);
        process(small, VAN, arp(MacAddress.BROADCAST, REQUEST, ALICE, ALICE_IP, 0, CAROL_IP), 60, false);
        process(small, VAN, arp(MacAddress.BROADCAST, REQUEST, BOB, BOB_IP, 0, CAROL_IP), 60, false);

        process(small, VAN, arp(MacAddress.BROADCAST, REQUEST, CAROL, CAROL_IP, 0, ALICE_IP), 60, false);
        process(small, VAN, arp(MacAddress.BROADCAST, REQUEST, BOB_MIGRATED, BOB_IP, 0, BOB_IP), 60, false);

        assertEquals(2, small.size());
        assertEquals(MacAddress.NONE, small.lookup(VAN, CAROL_IP), "no room for a third address");
        assertEquals(BOB_MIGRATED, small.lookup(VAN, BOB_IP), "a known address still moves");
        assertEquals(ALICE, small.lookup(VAN, ALICE_IP));
    }

    @Test
    void removingAVanForgetsItsBindingsOnly()
    {
        teachBob(VAN);
        process(VAN, arp(MacAddress.BROADCAST, REQUEST, ALICE, ALICE_IP, 0, CAROL_IP), false);
        teachBob(OTHER_VAN);

        proxy.removeVan(VAN);

        assertEquals(MacAddress.NONE, proxy.lookup(VAN, BOB_IP));
        assertEquals(MacAddress.NONE, proxy.lookup(VAN, ALICE_IP));
        assertEquals(BOB, proxy.lookup(OTHER_VAN, BOB_IP));
        assertEquals(1, proxy.size());
        assertFalse(process(VAN, ALICE_ASKS_FOR_BOB.clone(), true), "nothing left to answer from");
    }
}
