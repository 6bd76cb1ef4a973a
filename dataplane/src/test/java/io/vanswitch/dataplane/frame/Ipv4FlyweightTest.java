package io.vanswitch.dataplane.frame;

import io.vanswitch.dataplane.testing.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4FlyweightTest
{
    /** A real IPv4 header: UDP from 192.168.0.1 to 192.168.0.199, DF, TTL 64, checksum b861. */
    private static final byte[] CAPTURED = Hex.bytes("45 00 00 73 00 00 40 00 40 11 b8 61 c0 a8 00 01 c0 a8 00 c7");
    private static final int AT = 14;

    private final Ipv4Flyweight ip = new Ipv4Flyweight();

    private UnsafeBuffer captured()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AT + 24]);
        buffer.putBytes(AT, CAPTURED);
        return buffer;
    }

    @Test
    void pinsTheHeaderLayout()
    {
        assertEquals(0, Ipv4Flyweight.VERSION_IHL_OFFSET);
        assertEquals(1, Ipv4Flyweight.DSCP_ECN_OFFSET);
        assertEquals(2, Ipv4Flyweight.TOTAL_LENGTH_OFFSET);
        assertEquals(4, Ipv4Flyweight.IDENTIFICATION_OFFSET);
        assertEquals(6, Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET);
        assertEquals(8, Ipv4Flyweight.TTL_OFFSET);
        assertEquals(9, Ipv4Flyweight.PROTOCOL_OFFSET);
        assertEquals(10, Ipv4Flyweight.HEADER_CHECKSUM_OFFSET);
        assertEquals(12, Ipv4Flyweight.SOURCE_OFFSET);
        assertEquals(16, Ipv4Flyweight.DESTINATION_OFFSET);
        assertEquals(20, Ipv4Flyweight.MIN_HEADER_LENGTH);
    }

    @Test
    void readsACapturedHeader()
    {
        ip.wrap(captured(), AT);
        assertEquals(4, ip.version());
        assertEquals(5, ip.ihl());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(0x73, ip.totalLength());
        assertEquals(0, ip.identification());
        assertEquals(Ipv4Flyweight.FLAG_DF, ip.flagsAndFragmentOffset());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Flyweight.PROTOCOL_UDP, ip.protocol());
        assertEquals(0xB861, ip.headerChecksum());
        assertEquals(Ipv4Address.parse("192.168.0.1"), ip.source());
        assertEquals(0xC0A8_00C7, ip.destination());
        assertTrue(ip.checksumValid());
        assertEquals(0xB861, ip.computeChecksum());
    }

    @Test
    void computesTheChecksumWhateverTheFieldHolds()
    {
        final UnsafeBuffer buffer = captured();
        ip.wrap(buffer, AT).headerChecksum(0x1234);
        assertFalse(ip.checksumValid());
        assertEquals(0xB861, ip.computeChecksum());
        assertEquals(0x1234, ip.headerChecksum(), "computing writes nothing");
        ip.updateChecksum();
        assertEquals(0xB861, ip.headerChecksum());
        assertTrue(ip.checksumValid());
    }

    @Test
    void writesTheCapturedHeaderByteForByte()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AT + 20]);
        buffer.setMemory(0, buffer.capacity(), (byte)0xEE);
        ip.wrap(buffer, AT)
            .writeHeader(0x73, 0, Ipv4Flyweight.FLAG_DF, 64, Ipv4Flyweight.PROTOCOL_UDP, 0xC0A8_0001, 0xC0A8_00C7)
            .updateChecksum();
        final byte[] wire = new byte[20];
        buffer.getBytes(AT, wire);
        assertArrayEquals(CAPTURED, wire, Hex.dump(wire));
        assertEquals((byte)0xEE, buffer.getByte(AT - 1), "nothing written before the header");
    }

    @Test
    void readsAndWritesEveryFieldWithoutSignExtension()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        ip.wrap(buffer, 0)
            .versionAndIhl(4, 15)
            .dscpAndEcn(46, 3)
            .totalLength(0xFFFF)
            .identification(0xFFFE)
            .flagsAndFragmentOffset(0xFFFF)
            .ttl(255)
            .protocol(255)
            .headerChecksum(0xFFFD)
            .source(0xFFFF_FFFF)
            .destination(0xE000_00FB);
        assertEquals(4, ip.version());
        assertEquals(15, ip.ihl());
        assertEquals(60, ip.headerLength());
        assertEquals(46, ip.dscp());
        assertEquals(3, ip.ecn());
        assertEquals(0xBB, buffer.getByte(1) & 0xFF, "EF with ECN CE");
        assertEquals(0xFFFF, ip.totalLength());
        assertEquals(0xFFFE, ip.identification());
        assertEquals(0x1FFF, ip.fragmentOffset());
        assertEquals(255, ip.ttl());
        assertEquals(255, ip.protocol());
        assertEquals(0xFFFD, ip.headerChecksum());
        assertEquals(Ipv4Address.BROADCAST, ip.source());
        assertEquals(Ipv4Address.parse("224.0.0.251"), ip.destination());
    }

    @Test
    void tellsFragmentsFromWholeDatagrams()
    {
        final UnsafeBuffer buffer = captured();
        ip.wrap(buffer, AT);
        ip.flagsAndFragmentOffset(0);
        assertFalse(ip.isFragment(), "no flags");
        ip.flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DF);
        assertFalse(ip.isFragment(), "DF only");
        ip.flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MF);
        assertTrue(ip.isFragment(), "the first fragment: MF, offset 0");
        assertTrue(ip.moreFragments());
        ip.flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MF | 185);
        assertTrue(ip.isFragment(), "a middle fragment");
        assertEquals(185, ip.fragmentOffset());
        ip.flagsAndFragmentOffset(370);
        assertTrue(ip.isFragment(), "the last fragment: no MF, offset non-zero");
        assertFalse(ip.moreFragments());
    }

    @Test
    void checksumsCoverOptions()
    {
        // IHL 6: one 4-byte option word (here four NOPs) is part of the header and of its checksum
        final byte[] header = Hex.bytes("46 00 00 18 12 34 40 00 40 01 00 00 0a 00 00 02 0a 00 00 01 01 01 01 01");
        final int expected = Hex.referenceChecksum(header, 0, 24);
        ip.wrap(new UnsafeBuffer(header), 0);
        assertEquals(24, ip.headerLength());
        assertEquals(expected, ip.computeChecksum());
        ip.updateChecksum();
        assertTrue(ip.checksumValid());
        header[22] = 0;
        assertFalse(ip.checksumValid(), "an option byte changed");
    }
}
