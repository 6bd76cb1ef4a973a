package io.vanswitch.dataplane.frame;

import io.vanswitch.dataplane.testing.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpFlyweightTest
{
    /** The ICMP part of a Linux ping: id 0x0d2a, sequence 1, 16 bytes of timeval, then 10..37. */
    private static final byte[] ECHO_REQUEST = Hex.bytes(
        "08 00 9e 04 0d 2a 00 01 d3 6b 41 68 00 00 00 00 6e 29 0b 00 00 00 00 00" +
        "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27" +
        "28 29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37");

    private final IcmpFlyweight icmp = new IcmpFlyweight();

    @Test
    void pinsTheLayout()
    {
        assertEquals(0, IcmpFlyweight.TYPE_OFFSET);
        assertEquals(1, IcmpFlyweight.CODE_OFFSET);
        assertEquals(2, IcmpFlyweight.CHECKSUM_OFFSET);
        assertEquals(4, IcmpFlyweight.IDENTIFIER_OFFSET);
        assertEquals(6, IcmpFlyweight.SEQUENCE_OFFSET);
        assertEquals(8, IcmpFlyweight.HEADER_LENGTH);
        assertEquals(64, ECHO_REQUEST.length);
    }

    @Test
    void readsAnEchoRequest()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[34 + 64]);
        buffer.putBytes(34, ECHO_REQUEST);
        icmp.wrap(buffer, 34);
        assertEquals(IcmpFlyweight.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x0800, icmp.typeAndCode());
        assertEquals(0x9E04, icmp.checksum());
        assertEquals(0x0D2A, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertTrue(icmp.checksumValid(64));
        assertEquals(0x9E04, icmp.computeChecksum(64));
    }

    @Test
    void checksumsExactlyTheGivenLength()
    {
        final byte[] message = java.util.Arrays.copyOf(ECHO_REQUEST, 80);
        java.util.Arrays.fill(message, 64, 80, (byte)0x5A);
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        icmp.wrap(buffer, 0);
        assertTrue(icmp.checksumValid(64), "bytes beyond the message (Ethernet padding) are not covered");
        assertFalse(icmp.checksumValid(80));

        icmp.updateChecksum(63);
        assertEquals(Hex.referenceChecksum(withZeroChecksum(message), 0, 63), icmp.checksum(), "odd lengths pad the last byte");
        assertTrue(icmp.checksumValid(63));
    }

    @Test
    void turnsARequestIntoAReply()
    {
        final byte[] message = ECHO_REQUEST.clone();
        icmp.wrap(new UnsafeBuffer(message), 0).type(IcmpFlyweight.TYPE_ECHO_REPLY).updateChecksum(64);
        assertEquals(0xA604, icmp.checksum(), "computed independently");
        icmp.code(3).identifier(0xFFFF).sequence(0xFFFE);
        assertEquals(3, icmp.code());
        assertEquals(0xFFFF, icmp.identifier());
        assertEquals(0xFFFE, icmp.sequence());
    }

    private static byte[] withZeroChecksum(final byte[] message)
    {
        final byte[] copy = message.clone();
        copy[2] = 0;
        copy[3] = 0;
        return copy;
    }
}
