package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.testing.Hex;
import io.vanswitch.dataplane.testing.OverlayFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.vanswitch.dataplane.underlay.HostResponder.ARP_LEARNED;
import static io.vanswitch.dataplane.underlay.HostResponder.ARP_REPLIED;
import static io.vanswitch.dataplane.underlay.HostResponder.MALFORMED;
import static io.vanswitch.dataplane.underlay.HostResponder.NOT_FOR_US;
import static io.vanswitch.dataplane.underlay.HostResponder.OTHER;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.VAN_PORT;
import static io.vanswitch.dataplane.testing.OverlayFrames.arp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ARP on the underlay: answering for our address, learning from replies and announcements, and
 * ignoring the rest. Frames sit in buffers of exactly their length, so an over-read would throw.
 */
class HostResponderArpTest
{
    /** Who has 10.0.0.1? Tell 10.0.0.2: as a NIC delivers it, padded to 60 bytes. */
    private static final byte[] REQUEST = Hex.bytes(
        "ff ff ff ff ff ff 52 54 00 ab cd ef 08 06" +
        "00 01 08 00 06 04 00 01 52 54 00 ab cd ef 0a 00 00 02 00 00 00 00 00 00 0a 00 00 01" +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

    /** 10.0.0.1 is at 52:54:00:12:34:56, to 10.0.0.2 only; the padding is left as it came. */
    private static final byte[] REPLY = Hex.bytes(
        "52 54 00 ab cd ef 52 54 00 12 34 56 08 06" +
        "00 01 08 00 06 04 00 02 52 54 00 12 34 56 0a 00 00 01 52 54 00 ab cd ef 0a 00 00 02" +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

    private static final int OTHER_IP = 0x0A00_0009;
    private static final long OTHER_MAC = 0x5254_0000_0099L;

    private final HostResponder responder = new HostResponder(OUR_MAC, OUR_IP, VAN_PORT);

    private int examine(final byte[] frame)
    {
        return responder.examine(new UnsafeBuffer(frame), frame.length);
    }

    @Test
    void turnsARequestForUsIntoExactlyTheReply()
    {
        final byte[] frame = REQUEST.clone();
        assertEquals(ARP_REPLIED, examine(frame));
        assertArrayEquals(REPLY, frame, Hex.dump(frame));
        assertEquals(PEER_IP, responder.senderIp(), "the requester, which the caller may record");
        assertEquals(PEER_MAC, responder.senderMac());
    }

    @Test
    void answersAnUnpaddedRequestInItsOwnLength()
    {
        final byte[] frame = java.util.Arrays.copyOf(REQUEST, 42);
        assertEquals(ARP_REPLIED, examine(frame));
        assertArrayEquals(java.util.Arrays.copyOf(REPLY, 42), frame);
    }

    @Test
    void answersAUnicastRequest()
    {
        // Linux confirms a neighbour's reachability with a request sent to its MAC
        final byte[] frame = arp(OUR_MAC, 1, PEER_MAC, PEER_IP, 0, OUR_IP);
        assertEquals(ARP_REPLIED, examine(frame));
        assertEquals(PEER_MAC, macAt(frame, 0));
        assertEquals(OUR_MAC, macAt(frame, 6));
    }

    @Test
    void answersAProbeTo0000()
    {
        // RFC 5227: a host checking our address is free asks from 0.0.0.0; the answer tells it it is not
        final byte[] frame = arp(MacAddress.BROADCAST, 1, PEER_MAC, 0, 0, OUR_IP);
        assertEquals(ARP_REPLIED, examine(frame));
        assertEquals(0, responder.senderIp(), "nothing to record");
        assertEquals(PEER_MAC, macAt(frame, 0));
        assertEquals(PEER_MAC, macAt(frame, 32), "target MAC");
        assertEquals(0, intAt(frame, 38), "target IP");
        assertEquals(OUR_IP, intAt(frame, 28), "sender IP");
    }

    @Test
    void sendsTheReplyToTheArpSenderMac()
    {
        final byte[] frame = REQUEST.clone();
        OverlayFrames.putMac(frame, 6, OTHER_MAC);
        assertEquals(ARP_REPLIED, examine(frame));
        assertEquals(PEER_MAC, macAt(frame, 0));
    }

    @Test
    void learnsFromAReplyToUs()
    {
        final byte[] frame = arp(OUR_MAC, 2, PEER_MAC, PEER_IP, OUR_MAC, OUR_IP);
        final byte[] before = frame.clone();
        assertEquals(ARP_LEARNED, examine(frame));
        assertEquals(PEER_IP, responder.senderIp());
        assertEquals(PEER_MAC, responder.senderMac());
        assertArrayEquals(before, frame, "nothing rewritten");
    }

    @Test
    void learnsFromGratuitousArp()
    {
        // a peer or the gateway announcing its (new) MAC, as a request or a reply, always broadcast
        assertEquals(ARP_LEARNED, examine(arp(MacAddress.BROADCAST, 1, OTHER_MAC, OTHER_IP, 0, OTHER_IP)));
        assertEquals(OTHER_IP, responder.senderIp());
        assertEquals(OTHER_MAC, responder.senderMac());
        assertEquals(ARP_LEARNED, examine(arp(MacAddress.BROADCAST, 2, OTHER_MAC, OTHER_IP, MacAddress.BROADCAST, OTHER_IP)));
    }

    @Test
    void leavesArpAboutOtherHostsAlone()
    {
        final byte[] request = arp(MacAddress.BROADCAST, 1, PEER_MAC, PEER_IP, 0, OTHER_IP);
        final byte[] before = request.clone();
        assertEquals(NOT_FOR_US, examine(request));
        assertArrayEquals(before, request);
        assertEquals(PEER_IP, responder.senderIp(), "still told, for a caller that snoops");

        assertEquals(NOT_FOR_US, examine(arp(MacAddress.BROADCAST, 2, PEER_MAC, PEER_IP, OTHER_MAC, OTHER_IP)),
            "a broadcast reply to someone else");
        assertEquals(NOT_FOR_US, examine(arp(OTHER_MAC, 2, PEER_MAC, PEER_IP, OTHER_MAC, OUR_IP)),
            "unicast to another MAC: seen only because the port is promiscuous");
        assertEquals(NOT_FOR_US, examine(arp(OTHER_MAC, 1, PEER_MAC, PEER_IP, 0, OUR_IP)));
        assertEquals(NOT_FOR_US, examine(arp(0x0100_5E00_0001L, 1, PEER_MAC, PEER_IP, 0, OUR_IP)), "multicast");
    }

    @Test
    void neverLearnsOrAnswersForOurOwnAddressFromAnotherMac()
    {
        assertEquals(NOT_FOR_US, examine(arp(MacAddress.BROADCAST, 1, OTHER_MAC, OUR_IP, 0, OUR_IP)), "a conflicting announcement");
        assertEquals(NOT_FOR_US, examine(arp(OUR_MAC, 2, OTHER_MAC, OUR_IP, OUR_MAC, OUR_IP)));
        assertEquals(NOT_FOR_US, examine(arp(MacAddress.BROADCAST, 1, OTHER_MAC, OUR_IP, 0, PEER_IP)));
    }

    @Test
    void rejectsTruncatedAndInconsistentArp()
    {
        assertEquals(MALFORMED, examine(java.util.Arrays.copyOf(REQUEST, 41)), "one byte short");
        assertEquals(MALFORMED, examine(java.util.Arrays.copyOf(REQUEST, 14)), "no ARP at all");

        final byte[] longMacs = REQUEST.clone();
        longMacs[18] = 8;
        assertEquals(MALFORMED, examine(longMacs), "Ethernet/IPv4 with 8-byte hardware addresses");
        final byte[] longIps = REQUEST.clone();
        longIps[19] = 16;
        assertEquals(MALFORMED, examine(longIps));

        assertEquals(MALFORMED, examine(arp(MacAddress.BROADCAST, 1, 0x0100_5E00_0001L, PEER_IP, 0, OUR_IP)),
            "a group sender MAC");
        assertEquals(MALFORMED, examine(arp(MacAddress.BROADCAST, 2, 0, OTHER_IP, 0, OTHER_IP)), "a zero sender MAC");
    }

    @Test
    void rejectsAnArpFrameFromAGroupEthernetSource()
    {
        final byte[] frame = REQUEST.clone();
        OverlayFrames.putMac(frame, 6, MacAddress.BROADCAST);
        assertEquals(MALFORMED, examine(frame));
    }

    @Test
    void leavesOtherKindsOfArpToOthers()
    {
        final byte[] ieee802 = REQUEST.clone();
        ieee802[15] = 6;
        assertEquals(OTHER, examine(ieee802));
        final byte[] ipv6 = REQUEST.clone();
        OverlayFrames.put16(ipv6, 16, 0x86DD);
        assertEquals(OTHER, examine(ipv6));
        final byte[] rarp = REQUEST.clone();
        rarp[21] = 3;
        assertEquals(OTHER, examine(rarp), "RARP request opcode");
        final byte[] inArp = REQUEST.clone();
        inArp[21] = 8;
        assertEquals(OTHER, examine(inArp), "InARP request opcode");
        final byte[] untouched = REQUEST.clone();
        untouched[21] = 8;
        assertArrayEquals(untouched, inArp, "nothing rewritten");
    }

    private static long macAt(final byte[] frame, final int at)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (frame[at + i] & 0xFF);
        }
        return mac;
    }

    private static int intAt(final byte[] frame, final int at)
    {
        return (OverlayFrames.get16(frame, at) << 16) | OverlayFrames.get16(frame, at + 2);
    }
}
