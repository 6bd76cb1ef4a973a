package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over a UDP header (RFC 768), in network byte order. {@link #wrap} moves it to the next
 * header without allocating; callers check {@link #HEADER_LENGTH} bytes are there first.
 *
 * <pre>
 *    0               1               2               3
 *   +-------------------------------+-------------------------------+
 *   |          source port          |       destination port        |
 *   +-------------------------------+-------------------------------+
 *   |            length             |           checksum            |
 *   +-------------------------------+-------------------------------+
 *   | payload ...                     length = header + payload
 * </pre>
 */
public final class UdpFlyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    /** Over IPv4 a zero checksum means "not computed" (RFC 768); the overlay sends it so. */
    public static final int NO_CHECKSUM = 0;

    private UnsafeBuffer buffer;
    private int offset;

    public UdpFlyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int sourcePort()
    {
        return buffer.getShort(offset + SOURCE_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int destinationPort()
    {
        return buffer.getShort(offset + DESTINATION_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Header plus payload in bytes. */
    public int length()
    {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public UdpFlyweight sourcePort(final int port)
    {
        buffer.putShort(offset + SOURCE_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public UdpFlyweight destinationPort(final int port)
    {
        buffer.putShort(offset + DESTINATION_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public UdpFlyweight length(final int length)
    {
        buffer.putShort(offset + LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public UdpFlyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Writes a whole header with {@link #NO_CHECKSUM}; {@code length} counts the header too. */
    public UdpFlyweight writeHeader(final int sourcePort, final int destinationPort, final int length)
    {
        sourcePort(sourcePort);
        destinationPort(destinationPort);
        length(length);
        checksum(NO_CHECKSUM);
        return this;
    }
}
