package io.vanswitch.dataplane.frame;

import org.agrona.UnsafeApi;
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

    private long address;

    /**
     * @param address of the first byte of the frame.
     * @param length  of the frame's contiguous bytes (at least {@link #HEADER_LENGTH}: callers check).
     */
    public EthernetFlyweight wrap(final long address, final int length)
    {
        // the fields are read at the native address directly, as MbufFlyweight does: this header
        // is read for every frame the switch receives
        this.address = address;
        return this;
    }

    public long destination()
    {
        return readMac(address + DESTINATION_OFFSET);
    }

    public long source()
    {
        return readMac(address + SOURCE_OFFSET);
    }

    public int etherType()
    {
        return NetworkOrder.swap16(UnsafeApi.getShort(address + ETHER_TYPE_OFFSET)) & 0xFFFF;
    }

    public EthernetFlyweight destination(final long mac)
    {
        writeMac(address + DESTINATION_OFFSET, mac);
        return this;
    }

    public EthernetFlyweight source(final long mac)
    {
        writeMac(address + SOURCE_OFFSET, mac);
        return this;
    }

    public EthernetFlyweight etherType(final int type)
    {
        UnsafeApi.putShort(address + ETHER_TYPE_OFFSET, NetworkOrder.swap16((short)type));
        return this;
    }

    /** A MAC (network order in memory) at a native address, as the low 48 bits of a long. */
    public static long readMac(final long address)
    {
        final long high = NetworkOrder.swap32(UnsafeApi.getInt(address)) & 0xFFFF_FFFFL;
        final long low = NetworkOrder.swap16(UnsafeApi.getShort(address + 4)) & 0xFFFFL;
        return (high << 16) | low;
    }

    public static void writeMac(final long address, final long mac)
    {
        UnsafeApi.putInt(address, NetworkOrder.swap32((int)(mac >>> 16)));
        UnsafeApi.putShort(address + 4, NetworkOrder.swap16((short)mac));
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
