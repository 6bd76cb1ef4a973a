package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an ICMP echo request or reply (RFC 792), in network byte order. {@link #wrap}
 * moves it to the next message without allocating; callers check {@link #HEADER_LENGTH} bytes
 * are there first. The checksum covers the whole ICMP message, so its methods take the message's
 * length (the IPv4 total length less the IPv4 header), never the frame's, which may be padded.
 *
 * <pre>
 *    0               1               2               3
 *   +---------------+---------------+-------------------------------+
 *   |     type      |     code      |           checksum            |
 *   +---------------+---------------+-------------------------------+
 *   |          identifier           |        sequence number        |
 *   +-------------------------------+-------------------------------+
 *   | data ... (echoed back unchanged)
 * </pre>
 */
public final class IcmpFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    /** The echo header; other ICMP types share only the first four bytes. */
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_ECHO_REQUEST = 8;

    private UnsafeBuffer buffer;
    private int offset;

    public IcmpFlyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public int code()
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    /** Type and code as the one 16-bit word the checksum sees. */
    public int typeAndCode()
    {
        return buffer.getShort(offset + TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int identifier()
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int sequence()
    {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public IcmpFlyweight type(final int type)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        return this;
    }

    public IcmpFlyweight code(final int code)
    {
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        return this;
    }

    public IcmpFlyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public IcmpFlyweight identifier(final int identifier)
    {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short)identifier, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public IcmpFlyweight sequence(final int sequence)
    {
        buffer.putShort(offset + SEQUENCE_OFFSET, (short)sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * The checksum the message should carry over {@code length} bytes, the checksum field taken
     * as zero whatever it holds; writes nothing.
     */
    public int computeChecksum(final int length)
    {
        // the two ranges either side of the checksum field both start on a 16-bit boundary
        final int afterChecksum = CHECKSUM_OFFSET + 2;
        final long sum = InternetChecksum.sum(buffer, offset, CHECKSUM_OFFSET) +
            InternetChecksum.sum(buffer, offset + afterChecksum, length - afterChecksum);
        return ~InternetChecksum.fold(sum) & 0xFFFF;
    }

    /** Writes {@link #computeChecksum(int)} into the message. */
    public IcmpFlyweight updateChecksum(final int length)
    {
        return checksum(computeChecksum(length));
    }

    /** True when {@code length} bytes of message, checksum field included, sum to all ones. */
    public boolean checksumValid(final int length)
    {
        return InternetChecksum.isValid(buffer, offset, length);
    }
}
