package io.vanswitch.dataplane.frame;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the 12-byte VAN header that follows the UDP header between edge bridges
 * (docs/wire-format.md; the paper's Fig. 7). All fields are in network byte order.
 *
 * <pre>
 *    0       1       2       3
 *   +---+---+-------+-------+-------+
 *   |ver|typ| flags |   reserved    |   ver = 1 (high nibble), type (low nibble)
 *   +---+---+-------+-------+-------+
 *   |        source VAN ID          |   the sender's id for the VAN
 *   +-------------------------------+
 *   |      destination VAN ID       |   the receiver's id for the VAN (equal inside a site)
 *   +-------------------------------+
 *   | payload: the inner Ethernet frame (DATA, FLOOD) or a signal body
 * </pre>
 */
public final class VanHeaderFlyweight
{
    public static final int VERSION_TYPE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int RESERVED_OFFSET = 2;
    public static final int SOURCE_VAN_OFFSET = 4;
    public static final int DESTINATION_VAN_OFFSET = 8;
    public static final int HEADER_LENGTH = 12;

    public static final int VERSION = 1;

    /** A unicast tenant frame. */
    public static final int TYPE_DATA = 1;
    /** A broadcast, multicast or unknown-unicast copy: the receiver learns the sender flooded it. */
    public static final int TYPE_FLOOD = 2;
    public static final int TYPE_LEARN = 3;
    public static final int TYPE_UNLEARN = 4;
    public static final int TYPE_HEALTH = 5;
    public static final int TYPE_HEALTH_ACK = 6;
    public static final int TYPE_ANNOUNCE = 7;
    public static final int MAX_TYPE = TYPE_ANNOUNCE;

    private UnsafeBuffer buffer;
    private int offset;

    public VanHeaderFlyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int version()
    {
        return (buffer.getByte(offset + VERSION_TYPE_OFFSET) >>> 4) & 0xF;
    }

    public int type()
    {
        return buffer.getByte(offset + VERSION_TYPE_OFFSET) & 0xF;
    }

    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** VAN ids are unsigned 32-bit on the wire; vanswitch assigns 24-bit ones. */
    public long sourceVanId()
    {
        return buffer.getInt(offset + SOURCE_VAN_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long destinationVanId()
    {
        return buffer.getInt(offset + DESTINATION_VAN_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** Writes a whole header: version 1, the type, flags, reserved zero and both VAN ids. */
    public VanHeaderFlyweight write(final int type, final int flags, final long sourceVanId, final long destinationVanId)
    {
        buffer.putByte(offset + VERSION_TYPE_OFFSET, (byte)((VERSION << 4) | (type & 0xF)));
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putShort(offset + RESERVED_OFFSET, (short)0);
        buffer.putInt(offset + SOURCE_VAN_OFFSET, (int)sourceVanId, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + DESTINATION_VAN_OFFSET, (int)destinationVanId, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Writes a whole header of a data-carrying frame (no flags) at a native address, as {@link #write}
     * does: for the encapsulation, which builds every frame to another host at its mbuf's address.
     */
    public static void writeAt(final long address, final int type, final int sourceVanId, final int destinationVanId)
    {
        // version and type, flags and the reserved short: one word
        UnsafeApi.putInt(address + VERSION_TYPE_OFFSET, NetworkOrder.swap32((VERSION << 28) | ((type & 0xF) << 24)));
        UnsafeApi.putInt(address + SOURCE_VAN_OFFSET, NetworkOrder.swap32(sourceVanId));
        UnsafeApi.putInt(address + DESTINATION_VAN_OFFSET, NetworkOrder.swap32(destinationVanId));
    }

    public static boolean carriesFrame(final int type)
    {
        return type == TYPE_DATA || type == TYPE_FLOOD;
    }
}
