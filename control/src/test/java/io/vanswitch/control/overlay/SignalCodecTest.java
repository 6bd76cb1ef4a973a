package io.vanswitch.control.overlay;

import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The signals of docs/protocol.md as whole underlay frames: what is written is what the document
 * shows, byte by byte, and what is read back is what was written. Readers get the buffer positioned
 * at the VAN header (offset 42 of the frame), as the PMD hands signals to the control thread.
 */
class SignalCodecTest
{
    /** The doc's example: host 10.0.0.2 (52:54:00:ab:cd:ef) tells 10.0.0.1 (52:54:00:12:34:56). */
    private static final long OUR_MAC = 0x5254_00AB_CDEFL;
    private static final int OUR_IP = 0x0A00_0002;
    private static final long PEER_MAC = 0x5254_0012_3456L;
    private static final int PEER_IP = 0x0A00_0001;
    private static final int VAN_PORT = 4797;
    private static final int VAN_AT = 42;

    private static final long VM = 0x5254_0000_0001L;

    private static final byte[] TEMPLATE = SignalCodec.outerTemplate(OUR_MAC, PEER_MAC, OUR_IP, PEER_IP, VAN_PORT);

    /** docs/protocol.md, LEARN: 52:54:00:00:00:01 of VAN 17 lives at 10.0.0.2 with sequence 4. */
    private static final String DOC_LEARN = "13 00 00 00 00 00 00 11 00 00 00 11 52 54 00 00 00 01 00 00 00 00 00 04 0a 00 00 02";

    private static byte[] hex(final String hex)
    {
        final String digits = hex.replaceAll("\\s+", "");
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static String dump(final byte[] bytes, final int from, final int to)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++)
        {
            sb.append(i == from ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    private static int get16(final byte[] bytes, final int at)
    {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    /** RFC 1071 the slow way, independent of the checksum under test: 0 over a valid header. */
    private static int checksum(final byte[] bytes, final int offset, final int length)
    {
        long sum = 0;
        for (int i = 0; i < length; i += 2)
        {
            sum += ((bytes[offset + i] & 0xFF) << 8) | (bytes[offset + i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    private static UnsafeBuffer buffer(final byte[] frame)
    {
        return new UnsafeBuffer(frame);
    }

    /** Bytes from the VAN header to the end of the UDP datagram, as the PMD hands them over. */
    private static int signalLength(final byte[] frame)
    {
        return get16(frame, 38) - 8;
    }

    private static void assertOuterHeaders(final byte[] frame)
    {
        assertEquals(dump(TEMPLATE, 0, 14), dump(frame, 0, 14), "Ethernet to the next hop, from us");
        assertEquals(0, checksum(frame, 14, 20), "valid IPv4 header checksum");
        assertEquals(frame.length - 14, get16(frame, 16), "IPv4 total length: the whole frame (no padding needed)");
        assertEquals("40 00 40 11", dump(frame, 20, 24), "DF, TTL 64, UDP");
        assertEquals(dump(TEMPLATE, 26, 34), dump(frame, 26, 34), "from our address to the peer's");
        assertEquals(VAN_PORT, get16(frame, 34), "signals carry no inner flow: source port is the VAN port");
        assertEquals(VAN_PORT, get16(frame, 36));
        assertEquals(frame.length - 34, get16(frame, 38), "UDP length");
        assertEquals(0, get16(frame, 40), "UDP checksum 0");
    }

    @Test
    void outerTemplateIsTheWireFormatsHeadersWithLengthsAndChecksumsLeftZero()
    {
        assertEquals(
            "52 54 00 12 34 56 52 54 00 ab cd ef 08 00" +
            " 45 00 00 00 00 00 40 00 40 11 00 00 0a 00 00 02 0a 00 00 01" +
            " 00 00 12 bd 00 00 00 00",
            dump(TEMPLATE, 0, TEMPLATE.length));
    }

    @Test
    void learnIsExactlyTheDocumentsExampleAfterTheOuterHeaders()
    {
        final byte[] frame = SignalCodec.learn(TEMPLATE, 17, VM, 0, 4, OUR_IP);

        assertEquals(42 + 28, frame.length);
        assertEquals(DOC_LEARN, dump(frame, VAN_AT, frame.length));
        assertArrayEquals(hex(
            "52 54 00 12 34 56 52 54 00 ab cd ef 08 00" +
            "45 00 00 38 00 00 40 00 40 11 26 b3 0a 00 00 02 0a 00 00 01" +
            "12 bd 12 bd 00 24 00 00" + DOC_LEARN), frame, dump(frame, 0, frame.length));
    }

    @Test
    void learnReadsBackAsWritten()
    {
        final byte[] frame = SignalCodec.learn(TEMPLATE, 0x00AB_CDEF, 0xFEDC_BA98_7654L, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 0xFFFF_FFFE, OUR_IP);

        assertOuterHeaders(frame);
        assertEquals(VanHeaderFlyweight.TYPE_LEARN, SignalCodec.type(buffer(frame), VAN_AT));
        assertEquals("13 00 00 00 00 ab cd ef 00 ab cd ef", dump(frame, VAN_AT, VAN_AT + 12), "the MAC's VAN on both sides");
        assertEquals(
            new SignalCodec.Learn(0x00AB_CDEF, 0xFEDC_BA98_7654L, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 0xFFFF_FFFE, OUR_IP),
            SignalCodec.readLearn(buffer(frame), VAN_AT, signalLength(frame)));
        assertEquals(0, frame[VAN_AT + 12 + 7], "reserved");
    }

    @Test
    void unlearnReadsBackAsWritten()
    {
        final byte[] frame = SignalCodec.unlearn(TEMPLATE, 17, VM, OUR_IP);

        assertOuterHeaders(frame);
        assertEquals(42 + 24, frame.length);
        assertEquals("14 00 00 00 00 00 00 11 00 00 00 11 52 54 00 00 00 01 00 00 0a 00 00 02", dump(frame, VAN_AT, frame.length));
        assertEquals(new SignalCodec.Unlearn(17, VM, OUR_IP), SignalCodec.readUnlearn(buffer(frame), VAN_AT, signalLength(frame)));
    }

    @Test
    void healthAndItsAckReadBackAsWritten()
    {
        for (final int type : List.of(VanHeaderFlyweight.TYPE_HEALTH, VanHeaderFlyweight.TYPE_HEALTH_ACK))
        {
            final byte[] frame = SignalCodec.health(TEMPLATE, type, 0x0102_0304_0506_0708L, -2L, OUR_IP);

            assertOuterHeaders(frame);
            assertEquals(42 + 32, frame.length);
            assertEquals(String.format("%02x 00 00 00 00 00 00 00 00 00 00 00", 0x10 | type), dump(frame, VAN_AT, VAN_AT + 12),
                "hosts, not a VAN: both VAN ids 0");
            assertEquals(type, SignalCodec.type(buffer(frame), VAN_AT));
            assertEquals(new SignalCodec.Health(0x0102_0304_0506_0708L, -2L, OUR_IP),
                SignalCodec.readHealth(buffer(frame), VAN_AT, signalLength(frame)));
        }
    }

    @Test
    void announceReadsBackAsWrittenWithItsVansAscending()
    {
        final byte[] frame = SignalCodec.announce(TEMPLATE, 0x0000_0190_0000_0001L, OUR_IP, new int[]{ 30, 10, 0x00FF_FFFF });

        assertOuterHeaders(frame);
        assertEquals(42 + 32 + 12, frame.length);
        assertEquals("17 00 00 00 00 00 00 00 00 00 00 00", dump(frame, VAN_AT, VAN_AT + 12));
        assertEquals("00 00 01 90 00 00 00 01 0a 00 00 02 00 00 01 00 00 03 00 00 00 00 00 0a 00 00 00 1e 00 ff ff ff",
            dump(frame, VAN_AT + 12, frame.length), "epoch, host, flags 0, part 0 of 1, count 3, the ids");
        final SignalCodec.Announce announce = SignalCodec.readAnnounce(buffer(frame), VAN_AT, signalLength(frame));
        assertNotNull(announce);
        assertEquals(0x0000_0190_0000_0001L, announce.epoch());
        assertEquals(OUR_IP, announce.host());
        assertFalse(announce.withdraw());
        assertEquals(0, announce.part());
        assertEquals(1, announce.parts());
        assertArrayEquals(new int[]{ 10, 30, 0x00FF_FFFF }, announce.vans());
    }

    @Test
    void anEmptyAnnounceSaysThisHostServesNothing()
    {
        final byte[] frame = SignalCodec.announce(TEMPLATE, 7, OUR_IP, new int[0]);

        assertOuterHeaders(frame);
        final SignalCodec.Announce announce = SignalCodec.readAnnounce(buffer(frame), VAN_AT, signalLength(frame));
        assertArrayEquals(new int[0], announce.vans());
        assertEquals(7, announce.epoch());
    }

    @Test
    void readersFindTheBodyWhereverTheVanHeaderIs()
    {
        final byte[] frame = SignalCodec.learn(TEMPLATE, 17, VM, 0, 4, OUR_IP);
        final byte[] shifted = new byte[5 + signalLength(frame)];
        System.arraycopy(frame, VAN_AT, shifted, 5, signalLength(frame));

        assertEquals(new SignalCodec.Learn(17, VM, 0, 4, OUR_IP), SignalCodec.readLearn(buffer(shifted), 5, signalLength(frame)));
    }

    @Test
    void bytesAfterTheFixedPartAreIgnored()
    {
        final byte[] frame = Arrays.copyOf(SignalCodec.unlearn(TEMPLATE, 17, VM, OUR_IP), 42 + 24 + 8);

        assertEquals(new SignalCodec.Unlearn(17, VM, OUR_IP), SignalCodec.readUnlearn(buffer(frame), VAN_AT, 24 + 8));
    }

    @Test
    void shortBodiesReadAsNothing()
    {
        final byte[] learn = SignalCodec.learn(TEMPLATE, 17, VM, 0, 4, OUR_IP);
        final byte[] unlearn = SignalCodec.unlearn(TEMPLATE, 17, VM, OUR_IP);
        final byte[] health = SignalCodec.health(TEMPLATE, VanHeaderFlyweight.TYPE_HEALTH, 1, 2, OUR_IP);
        final byte[] announce = SignalCodec.announce(TEMPLATE, 7, OUR_IP, new int[]{ 10, 20 });

        assertNull(SignalCodec.readLearn(buffer(learn), VAN_AT, 12 + 15));
        assertNull(SignalCodec.readLearn(buffer(learn), VAN_AT, 12));
        assertNull(SignalCodec.readUnlearn(buffer(unlearn), VAN_AT, 12 + 11));
        assertNull(SignalCodec.readHealth(buffer(health), VAN_AT, 12 + 19));
        assertNull(SignalCodec.readAnnounce(buffer(announce), VAN_AT, 12 + 19), "shorter than the fixed part");
        assertNull(SignalCodec.readAnnounce(buffer(announce), VAN_AT, 12 + 20 + 7), "shorter than its own count of VANs");

        assertNotNull(SignalCodec.readLearn(buffer(learn), VAN_AT, 12 + 16));
        assertNotNull(SignalCodec.readUnlearn(buffer(unlearn), VAN_AT, 12 + 12));
        assertNotNull(SignalCodec.readHealth(buffer(health), VAN_AT, 12 + 20));
        assertNotNull(SignalCodec.readAnnounce(buffer(announce), VAN_AT, 12 + 20 + 8));
    }

    @Test
    void theTemplateIsNotChangedByFraming()
    {
        final byte[] before = TEMPLATE.clone();

        SignalCodec.learn(TEMPLATE, 17, VM, 0, 4, OUR_IP);
        SignalCodec.announce(TEMPLATE, 7, OUR_IP, new int[]{ 10 });
        final byte[] second = SignalCodec.health(TEMPLATE, VanHeaderFlyweight.TYPE_HEALTH, 1, 2, OUR_IP);

        assertArrayEquals(before, TEMPLATE, "one template serves every signal to the peer");
        assertEquals(0, checksum(second, 14, 20));
    }
}
