package io.vanswitch.dataplane.frame;

import io.vanswitch.dataplane.testing.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InternetChecksumTest
{
    /** A real IPv4 header (UDP, 192.168.0.1 to 192.168.0.199) with its checksum b861 in place. */
    private static final byte[] CAPTURED_IPV4 = Hex.bytes("45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7");

    @Test
    void sumsTheRfc1071Example()
    {
        // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes("00 01 f2 03 f4 f5 f6 f7"));
        assertEquals(0xDDF2, InternetChecksum.sum(buffer, 0, 8));
        assertEquals(0x220D, InternetChecksum.compute(buffer, 0, 8));
    }

    @Test
    void computesTheChecksumOfACapturedIpv4Header()
    {
        final byte[] header = CAPTURED_IPV4.clone();
        header[10] = 0;
        header[11] = 0;
        assertEquals(0xB861, InternetChecksum.compute(new UnsafeBuffer(header), 0, 20));
    }

    @Test
    void validatesACapturedIpv4HeaderAndRejectsAFlippedBit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(CAPTURED_IPV4.clone());
        assertEquals(0xFFFF, InternetChecksum.sum(buffer, 0, 20));
        assertTrue(InternetChecksum.isValid(buffer, 0, 20));

        buffer.putByte(15, (byte)0x02);
        assertFalse(InternetChecksum.isValid(buffer, 0, 20));
    }

    @Test
    void padsAnOddLastByteOnTheRight()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes("00 01 f2"));
        assertEquals(0xF201, InternetChecksum.sum(buffer, 0, 3));
        assertEquals(0x0100, InternetChecksum.sum(new UnsafeBuffer(Hex.bytes("01")), 0, 1));
        assertEquals(0, InternetChecksum.sum(buffer, 0, 0), "nothing sums to zero");
    }

    @Test
    void foldsEveryCarry()
    {
        final byte[] ones = new byte[1501];
        java.util.Arrays.fill(ones, (byte)0xFF);
        assertEquals(0xFFFF, InternetChecksum.sum(new UnsafeBuffer(ones), 0, 1500));
        assertEquals(0xFF00, InternetChecksum.sum(new UnsafeBuffer(ones), 0, 1501), "ffff is -0: the odd ff00 is the sum");
        assertEquals(0x1_0000 - 1, InternetChecksum.fold(0xFFFF_FFFFL), "0xFFFF + 0xFFFF + carry");
        assertEquals(0x0001, InternetChecksum.fold(0x1_0000L));
    }

    @Test
    void agreesWithAWordByWordSumAtEveryOffsetAndLength()
    {
        final Random random = new Random(1071);
        final byte[] data = new byte[300];
        random.nextBytes(data);
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        for (int offset = 0; offset < 8; offset++)
        {
            for (int length = 0; length + offset <= data.length; length++)
            {
                assertEquals(Hex.referenceChecksum(data, offset, length), InternetChecksum.compute(buffer, offset, length),
                    "offset " + offset + " length " + length);
            }
        }
    }

    @Test
    void updatesIncrementallyAsTheRfc1624Example()
    {
        // RFC 1624 section 4: m 5555 -> 3285 where the rest sums to cd7a: dd2f becomes 0000, not ffff
        assertEquals(0x0000, InternetChecksum.update(0xDD2F, 0x5555, 0x3285));
    }

    @Test
    void anIncrementalUpdateEqualsARecomputation()
    {
        final Random random = new Random(1624);
        final byte[] data = new byte[64];
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        for (int i = 0; i < 20_000; i++)
        {
            random.nextBytes(data);
            if (i % 10 == 0)
            {
                java.util.Arrays.fill(data, (byte)0);
                data[random.nextInt(data.length)] = (byte)random.nextInt();
            }
            final int length = 8 + 2 * random.nextInt(28);
            // the checksum lives in the first word, as in ICMP
            buffer.putShort(0, (short)0);
            buffer.putShort(0, (short)InternetChecksum.compute(buffer, 0, length), java.nio.ByteOrder.BIG_ENDIAN);
            final int oldChecksum = buffer.getShort(0, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;

            final int word = 2 + 2 * random.nextInt(length / 2 - 1);
            final int oldWord = buffer.getShort(word, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int newWord = i % 7 == 0 ? oldWord : random.nextInt(0x1_0000);
            buffer.putShort(word, (short)newWord, java.nio.ByteOrder.BIG_ENDIAN);

            final int updated = InternetChecksum.update(oldChecksum, oldWord, newWord);
            buffer.putShort(0, (short)0);
            if (InternetChecksum.sum(buffer, 0, length) == 0)
            {
                continue; // all zero: see theOnlyDisagreementIsAllZeroData
            }
            assertEquals(InternetChecksum.compute(buffer, 0, length), updated, "case " + i);
        }
    }

    @Test
    void theOnlyDisagreementIsAllZeroData()
    {
        // all-zero data sums to +0 and a recomputation gives ffff; an update can only reach -0 and gives
        // 0000; both verify, and no IPv4 header or ICMP echo is all zero (version, type)
        assertEquals(0x0000, InternetChecksum.update(0xFFFF, 0x0000, 0x0000));
        assertEquals(0xFFFF, InternetChecksum.compute(new UnsafeBuffer(new byte[8]), 0, 8));
    }
}
