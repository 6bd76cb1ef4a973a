package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.testing.Hex;
import io.vanswitch.dataplane.testing.OverlayFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.vanswitch.dataplane.underlay.HostResponder.ICMP_REPLIED;
import static io.vanswitch.dataplane.underlay.HostResponder.MALFORMED;
import static io.vanswitch.dataplane.underlay.HostResponder.NOT_FOR_US;
import static io.vanswitch.dataplane.underlay.HostResponder.OTHER;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.L4_AT;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.VAN_PORT;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.icmp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ping of the host's underlay address. Expected replies were computed outside Java (checksums by
 * a separate implementation) and are compared byte for byte.
 */
class HostResponderIcmpTest
{
    /**
     * A Linux ping (56 data bytes) from 10.0.0.2 to 10.0.0.1 that crossed one router (TTL 63):
     * id 0x0d2a, sequence 1, a 16-byte timeval, then 10..37.
     */
    static final byte[] ECHO_REQUEST = Hex.bytes(
        "52 54 00 12 34 56 52 54 00 ab cd ef 08 00" +
        "45 00 00 54 1c 46 40 00 3f 01 0b 61 0a 00 00 02 0a 00 00 01" +
        "08 00 9e 04 0d 2a 00 01 d3 6b 41 68 00 00 00 00 6e 29 0b 00 00 00 00 00" +
        "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27" +
        "28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37");

    /** Its reply: Ethernet and IP addresses swapped, TTL 64, both checksums redone, the rest echoed. */
    private static final byte[] ECHO_REPLY = Hex.bytes(
        "52 54 00 ab cd ef 52 54 00 12 34 56 08 00" +
        "45 00 00 54 1c 46 40 00 40 01 0a 61 0a 00 00 01 0a 00 00 02" +
        "00 00 a6 04 0d 2a 00 01 d3 6b 41 68 00 00 00 00 6e 29 0b 00 00 00 00 00" +
        "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27" +
        "28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37");

    /** ping -s 0 from 192.168.10.5 (through the gateway): 42 bytes, padded to 60 with junk. */
    private static final byte[] TINY_REQUEST = Hex.bytes(
        "52 54 00 12 34 56 52 54 00 ab cd ef 08 00" +
        "45 00 00 1c be ef 00 00 40 01 e7 43 c0 a8 0a 05 0a 00 00 01" +
        "08 00 f3 26 04 d2 00 07" +
        "5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a");

    private static final byte[] TINY_REPLY = Hex.bytes(
        "52 54 00 ab cd ef 52 54 00 12 34 56 08 00" +
        "45 00 00 1c be ef 00 00 40 01 e7 43 0a 00 00 01 c0 a8 0a 05" +
        "00 00 fb 26 04 d2 00 07" +
        "5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a");

    private final HostResponder responder = new HostResponder(OUR_MAC, OUR_IP, VAN_PORT);

    private int examine(final byte[] frame)
    {
        return responder.examine(new UnsafeBuffer(frame), frame.length);
    }

    @Test
    void turnsAnEchoRequestIntoExactlyTheReply()
    {
        final byte[] frame = ECHO_REQUEST.clone();
        assertEquals(ICMP_REPLIED, examine(frame));
        assertArrayEquals(ECHO_REPLY, frame, Hex.dump(frame));
        assertEquals(PEER_IP, responder.senderIp());
        assertEquals(PEER_MAC, responder.senderMac());
    }

    @Test
    void checksumsOnlyTheMessageNotTheEthernetPadding()
    {
        final byte[] frame = TINY_REQUEST.clone();
        assertEquals(ICMP_REPLIED, examine(frame));
        assertArrayEquals(TINY_REPLY, frame, Hex.dump(frame));
        assertEquals(Ipv4Address.parse("192.168.10.5"), responder.senderIp(), "off-link: the reply goes back through the router");
    }

    @Test
    void repliesCorrectlyWhateverTheData()
    {
        for (int data = 0; data < 200; data += 13)
        {
            final byte[] frame = icmp(OUR_IP, 8, data);
            assertEquals(ICMP_REPLIED, examine(frame), "data " + data);
            assertTrue(UnderlayFrames.ipChecksumValid(frame), "IP checksum, data " + data);
            assertTrue(UnderlayFrames.icmpChecksumValid(frame), "ICMP checksum, data " + data);
            assertEquals(0, frame[L4_AT], "echo reply");
        }
    }

    @Test
    void echoesIpOptionsAndChecksumsThem()
    {
        // IHL 6 with a NOP word: the ICMP message starts 4 bytes later
        final byte[] plain = icmp(OUR_IP, 8, 8);
        final byte[] frame = new byte[plain.length + 4];
        System.arraycopy(plain, 0, frame, 0, 34);
        System.arraycopy(new byte[]{ 1, 1, 1, 1 }, 0, frame, 34, 4);
        System.arraycopy(plain, 34, frame, 38, plain.length - 34);
        frame[14] = 0x46;
        OverlayFrames.put16(frame, 16, UnderlayFrames.ipTotalLength(plain) + 4);
        UnderlayFrames.fixIpChecksum(frame);

        assertEquals(ICMP_REPLIED, examine(frame));
        assertEquals(0, frame[38], "echo reply after the options");
        assertEquals(0x01010101, (OverlayFrames.get16(frame, 34) << 16) | OverlayFrames.get16(frame, 36));
        assertTrue(UnderlayFrames.ipChecksumValid(frame));
        assertTrue(UnderlayFrames.icmpChecksumValid(frame));
    }

    @Test
    void leavesPingsOfOtherAddressesAlone()
    {
        final byte[] frame = ECHO_REQUEST.clone();
        frame[33] = 0x07; // 10.0.0.7
        UnderlayFrames.fixIpChecksum(frame);
        final byte[] before = frame.clone();
        assertEquals(NOT_FOR_US, examine(frame));
        assertArrayEquals(before, frame);
    }

    @Test
    void rejectsARequestWithABadIcmpChecksumRatherThanEchoingIt()
    {
        final byte[] frame = ECHO_REQUEST.clone();
        frame[97] ^= 0x01;
        final byte[] before = frame.clone();
        assertEquals(MALFORMED, examine(frame));
        assertArrayEquals(before, frame);
    }

    @Test
    void rejectsAnIcmpMessageShorterThanAnEchoHeader()
    {
        final byte[] frame = icmp(OUR_IP, 8, 0);
        OverlayFrames.put16(frame, 16, 20 + 7);
        UnderlayFrames.fixIpChecksum(frame);
        assertEquals(MALFORMED, examine(frame));
    }

    @Test
    void leavesOtherIcmpToOthers()
    {
        assertEquals(OTHER, examine(icmp(OUR_IP, 0, 16)), "an echo reply");
        assertEquals(OTHER, examine(icmp(OUR_IP, 3, 16)), "destination unreachable");
        assertEquals(OTHER, examine(icmp(OUR_IP, 13, 16)), "timestamp");
        final byte[] code1 = icmp(OUR_IP, 8, 16);
        code1[L4_AT + 1] = 1;
        UnderlayFrames.fixIcmpChecksum(code1);
        assertEquals(OTHER, examine(code1), "echo with a non-zero code");
    }

    @Test
    void neverRepliesToAnImpossibleSource()
    {
        for (final String source : new String[]{ "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1" })
        {
            final byte[] frame = ECHO_REQUEST.clone();
            OverlayFrames.put32(frame, 26, Ipv4Address.parse(source));
            UnderlayFrames.fixIpChecksum(frame);
            assertEquals(MALFORMED, examine(frame), source);
        }
    }
}
