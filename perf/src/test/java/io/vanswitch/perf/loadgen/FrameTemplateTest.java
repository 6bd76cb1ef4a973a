package io.vanswitch.perf.loadgen;

import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.Ipv4Flyweight;
import io.vanswitch.dataplane.frame.UdpFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameTemplateTest
{
    private static final long DESTINATION = 0x0200_0000_0007L;
    private static final long SOURCE = 0x0201_0000_0001L;

    @ParameterizedTest
    @ValueSource(ints = { 64, 128, 1518 })
    void writesEthernetIpv4AndUdpHeadersWithAValidChecksum(final int length)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final UnsafeBuffer frame = offHeapWithGarbage(arena, length);
            new FrameTemplate(length).write(frame, DESTINATION, SOURCE, FrameTemplate.tag(3), 42);

            final EthernetFlyweight ethernet = new EthernetFlyweight().wrap(frame.addressOffset(), length);
            assertEquals(DESTINATION, ethernet.destination());
            assertEquals(SOURCE, ethernet.source());
            assertEquals(EthernetFlyweight.ETHER_TYPE_IPV4, ethernet.etherType());

            final Ipv4Flyweight ip = new Ipv4Flyweight().wrap(frame, FrameTemplate.IPV4_OFFSET);
            assertEquals(4, ip.version());
            assertEquals(20, ip.headerLength());
            assertEquals(length - 14, ip.totalLength());
            assertTrue(ip.dontFragment());
            assertEquals(64, ip.ttl());
            assertEquals(Ipv4Flyweight.PROTOCOL_UDP, ip.protocol());
            assertEquals(0x0A00_0001, ip.source());
            assertEquals(0x0A00_0002, ip.destination());
            assertTrue(ip.checksumValid(), "IPv4 header checksum");
            assertEquals(ip.computeChecksum(), ip.headerChecksum());

            final UdpFlyweight udp = new UdpFlyweight().wrap(frame, FrameTemplate.UDP_OFFSET);
            assertEquals(FrameTemplate.SOURCE_PORT, udp.sourcePort());
            assertEquals(FrameTemplate.DESTINATION_PORT, udp.destinationPort());
            assertEquals(length - 34, udp.length());
            assertEquals(UdpFlyweight.NO_CHECKSUM, udp.checksum());
        }
    }

    @Test
    void tagSequenceAndTimestampSitAtTheirOffsets()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final UnsafeBuffer frame = offHeapWithGarbage(arena, 64);
            final FrameTemplate template = new FrameTemplate(64);
            template.write(frame, DESTINATION, SOURCE, FrameTemplate.tag(0x1234), 0x0102_0304_0506_0708L);
            FrameTemplate.timestamp(frame, 987_654_321_012L);

            assertEquals(42, FrameTemplate.TAG_OFFSET);
            assertEquals(46, FrameTemplate.SEQUENCE_OFFSET);
            assertEquals(54, FrameTemplate.TIMESTAMP_OFFSET);
            assertEquals(62, FrameTemplate.PAYLOAD_END);
            // the tag is big endian: "VS" then the window, readable in a capture
            assertEquals(0x56, frame.getByte(42));
            assertEquals(0x53, frame.getByte(43));
            assertEquals(0x12, frame.getByte(44));
            assertEquals(0x34, frame.getByte(45));
            assertEquals(0x5653_1234, frame.getInt(42, ByteOrder.BIG_ENDIAN));
            assertEquals(0x0102_0304_0506_0708L, frame.getLong(46, ByteOrder.nativeOrder()));
            assertEquals(987_654_321_012L, frame.getLong(54, ByteOrder.nativeOrder()));
            assertEquals(FrameTemplate.tag(0x1234), FrameTemplate.tagOf(frame));
            assertEquals(0x0102_0304_0506_0708L, FrameTemplate.sequenceOf(frame));
            assertEquals(987_654_321_012L, FrameTemplate.timestampOf(frame));
        }
    }

    @Test
    void aRecycledBufferGetsTheWholeTemplateIncludingZeroPadding()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final UnsafeBuffer frame = offHeapWithGarbage(arena, 256);
            new FrameTemplate(256).write(frame, DESTINATION, SOURCE, FrameTemplate.tag(1), 1);
            for (int i = FrameTemplate.PAYLOAD_END; i < 256; i++)
            {
                assertEquals(0, frame.getByte(i), "padding byte " + i);
            }
        }
    }

    @Test
    void theTemplateItselfCarriesAValidChecksumAndNoPerFrameFields()
    {
        final byte[] bytes = new FrameTemplate(64).bytes();
        final UnsafeBuffer template = new UnsafeBuffer(bytes);
        assertTrue(new Ipv4Flyweight().wrap(template, FrameTemplate.IPV4_OFFSET).checksumValid());
        for (int i = FrameTemplate.TAG_OFFSET; i < 64; i++)
        {
            assertEquals(0, bytes[i], "byte " + i);
        }
    }

    @Test
    void tagsAreTheMagicAndTheWindowNumber()
    {
        assertEquals(0x5653_0010, FrameTemplate.tag(16));
        assertEquals(0x5653_0000, FrameTemplate.tag(0x1_0000), "window numbers wrap within 16 bits");
    }

    @Test
    void refusesLengthsOutsideOneStandardFrame()
    {
        assertThrows(IllegalArgumentException.class, () -> new FrameTemplate(63));
        assertThrows(IllegalArgumentException.class, () -> new FrameTemplate(1519));
    }

    /** Native memory full of 0xAB, like an mbuf that held another frame. */
    private static UnsafeBuffer offHeapWithGarbage(final Arena arena, final int length)
    {
        final MemorySegment segment = arena.allocate(length);
        segment.fill((byte)0xAB);
        return new UnsafeBuffer(segment.address(), length);
    }
}
