package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an Ethernet II header in off-heap memory (an mbuf's data). {@link #wrap} moves it
 * to the next frame without allocating; every field offset is a named constant.
 *
 * <pre>
 *   0                   6                  12        14
 *   | destination MAC   | source MAC       | type    | payload ...
 * </pre>
 */
public final class EthernetFlyweight
{
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

    public static final int ETHER_TYPE_IPV4 = 0x0800;
    public static final int ETHER_TYPE_ARP = 0x0806;
    public static final int ETHER_TYPE_VLAN = 0x8100;
    public static final int ETHER_TYPE_IPV6 = 0x86DD;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    /**
     * @param address of the first byte of the frame.
     * @param length  of the frame's contiguous bytes (at least {@link #HEADER_LENGTH}: callers check).
     */
    public EthernetFlyweight wrap(final long address, final int length)
    {
        buffer.wrap(address, length);
        return this;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public long destination()
    {
        return readMac(buffer, DESTINATION_OFFSET);
    }

    public long source()
    {
        return readMac(buffer, SOURCE_OFFSET);
    }

    public int etherType()
    {
        return buffer.getShort(ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public EthernetFlyweight destination(final long mac)
    {
        writeMac(buffer, DESTINATION_OFFSET, mac);
        return this;
    }

    public EthernetFlyweight source(final long mac)
    {
        writeMac(buffer, SOURCE_OFFSET, mac);
        return this;
    }

    public EthernetFlyweight etherType(final int type)
    {
        buffer.putShort(ETHER_TYPE_OFFSET, (short)type, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public static long readMac(final UnsafeBuffer buffer, final int offset)
    {
        final long high = buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long low = buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        return (high << 16) | low;
    }

    public static void writeMac(final UnsafeBuffer buffer, final int offset, final long mac)
    {
        buffer.putInt(offset, (int)(mac >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)mac, ByteOrder.BIG_ENDIAN);
    }
}
