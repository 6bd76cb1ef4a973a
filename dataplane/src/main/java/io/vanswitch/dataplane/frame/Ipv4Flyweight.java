package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an IPv4 header (RFC 791), in network byte order. {@link #wrap} moves it to the
 * next header without allocating. Addresses are ints holding the address's numeric value
 * (10.0.0.1 is {@code 0x0A000001}), see {@link Ipv4Address}.
 * <p>
 * Readers trust the wrapped bytes: callers check the frame holds {@link #MIN_HEADER_LENGTH} bytes
 * before reading, and {@link #headerLength()} bytes before the checksum (Agrona's bounds checks
 * are off in the daemon).
 *
 * <pre>
 *    0               1               2               3
 *   +-------+-------+-------+---+---+-------------------------------+
 *   |version|  IHL  |  DSCP     |ECN|         total length          |
 *   +-------+-------+-----------+---+-+-+-+-------------------------+
 *   |        identification         |0|D|M|    fragment offset      |
 *   +---------------+---------------+-+-+-+-------------------------+
 *   |      TTL      |   protocol    |        header checksum        |
 *   +---------------+---------------+-------------------------------+
 *   |                        source address                         |
 *   +---------------------------------------------------------------+
 *   |                      destination address                      |
 *   +---------------------------------------------------------------+
 *   |            options (IHL > 5), then the payload ...
 * </pre>
 */
public final class Ipv4Flyweight
{
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int DSCP_ECN_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int HEADER_CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;
    /** A header without options; also the smallest legal IHL (5) in bytes. */
    public static final int MIN_HEADER_LENGTH = 20;

    public static final int VERSION = 4;
    public static final int MIN_IHL = 5;

    /** Don't Fragment, in the flags/fragment-offset word. */
    public static final int FLAG_DF = 0x4000;
    /** More Fragments, in the flags/fragment-offset word. */
    public static final int FLAG_MF = 0x2000;
    /** The fragment offset, in units of 8 bytes, in the flags/fragment-offset word. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_UDP = 17;

    /** What this host sends with, as Linux does by default (net.ipv4.ip_default_ttl). */
    public static final int DEFAULT_TTL = 64;

    private UnsafeBuffer buffer;
    private int offset;

    public Ipv4Flyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int version()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) >>> 4) & 0xF;
    }

    /** Header length in 32-bit words. */
    public int ihl()
    {
        return buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xF;
    }

    /** Header length in bytes, options included. */
    public int headerLength()
    {
        return ihl() << 2;
    }

    public int dscp()
    {
        return (buffer.getByte(offset + DSCP_ECN_OFFSET) >>> 2) & 0x3F;
    }

    public int ecn()
    {
        return buffer.getByte(offset + DSCP_ECN_OFFSET) & 0x3;
    }

    /** Header plus payload in bytes; an Ethernet frame may hold padding beyond it. */
    public int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int identification()
    {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** The raw 16-bit word: flags in the top three bits, the fragment offset below. */
    public int flagsAndFragmentOffset()
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    /** In units of 8 bytes. */
    public int fragmentOffset()
    {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /** Any piece of a fragmented datagram: the first has MF set, the others a non-zero offset. */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    public int headerChecksum()
    {
        return buffer.getShort(offset + HEADER_CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int source()
    {
        return buffer.getInt(offset + SOURCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public int destination()
    {
        return buffer.getInt(offset + DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public Ipv4Flyweight versionAndIhl(final int version, final int ihl)
    {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte)((version << 4) | (ihl & 0xF)));
        return this;
    }

    public Ipv4Flyweight dscpAndEcn(final int dscp, final int ecn)
    {
        buffer.putByte(offset + DSCP_ECN_OFFSET, (byte)((dscp << 2) | (ecn & 0x3)));
        return this;
    }

    public Ipv4Flyweight totalLength(final int length)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public Ipv4Flyweight identification(final int identification)
    {
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short)identification, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** E.g. {@link #FLAG_DF} for an unfragmented datagram that must stay so. */
    public Ipv4Flyweight flagsAndFragmentOffset(final int value)
    {
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public Ipv4Flyweight ttl(final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    public Ipv4Flyweight protocol(final int protocol)
    {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        return this;
    }

    public Ipv4Flyweight headerChecksum(final int checksum)
    {
        buffer.putShort(offset + HEADER_CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public Ipv4Flyweight source(final int address)
    {
        buffer.putInt(offset + SOURCE_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public Ipv4Flyweight destination(final int address)
    {
        buffer.putInt(offset + DESTINATION_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Writes a whole option-less header: version 4, IHL 5, DSCP/ECN 0, and a zero checksum.
     * Call {@link #updateChecksum()} after the last change to the header.
     */
    public Ipv4Flyweight writeHeader(
        final int totalLength,
        final int identification,
        final int flagsAndFragmentOffset,
        final int ttl,
        final int protocol,
        final int source,
        final int destination)
    {
        versionAndIhl(VERSION, MIN_IHL);
        buffer.putByte(offset + DSCP_ECN_OFFSET, (byte)0);
        totalLength(totalLength);
        identification(identification);
        flagsAndFragmentOffset(flagsAndFragmentOffset);
        ttl(ttl);
        protocol(protocol);
        headerChecksum(0);
        source(source);
        destination(destination);
        return this;
    }

    /**
     * The checksum the header should carry, over {@link #headerLength()} bytes with the checksum
     * field taken as zero whatever it holds; writes nothing.
     */
    public int computeChecksum()
    {
        // the two ranges either side of the checksum field both start on a 16-bit boundary
        final int afterChecksum = HEADER_CHECKSUM_OFFSET + 2;
        final long sum = InternetChecksum.sum(buffer, offset, HEADER_CHECKSUM_OFFSET) +
            InternetChecksum.sum(buffer, offset + afterChecksum, headerLength() - afterChecksum);
        return ~InternetChecksum.fold(sum) & 0xFFFF;
    }

    /** Writes {@link #computeChecksum()} into the header. */
    public Ipv4Flyweight updateChecksum()
    {
        return headerChecksum(computeChecksum());
    }

    /** True when the header, its checksum field included, sums to all ones. */
    public boolean checksumValid()
    {
        return InternetChecksum.isValid(buffer, offset, headerLength());
    }
}
