package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an ARP packet (RFC 826) for Ethernet and IPv4, the only kind the underlay uses,
 * in network byte order. {@link #wrap} moves it to the next packet without allocating; callers
 * check {@link #LENGTH} bytes are there first. MACs are read and written as in
 * {@link MacAddress}, IPv4 addresses as in {@link Ipv4Address}.
 *
 * <pre>
 *   0       2       4    5    6        8            14          18           24          28
 *   | htype | ptype | hl | pl | opcode | sender MAC | sender IP | target MAC | target IP |
 *
 *   htype 1 (Ethernet), ptype 0x0800 (IPv4), hl 6, pl 4, opcode 1 (request) or 2 (reply)
 * </pre>
 */
public final class ArpFlyweight
{
    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPCODE_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_IP_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_IP_OFFSET = 24;
    /** Ethernet/IPv4 ARP; on the wire the frame is padded to the 60-byte Ethernet minimum. */
    public static final int LENGTH = 28;

    public static final int HARDWARE_TYPE_ETHERNET = 1;
    public static final int PROTOCOL_TYPE_IPV4 = EthernetFlyweight.ETHER_TYPE_IPV4;
    public static final int HARDWARE_LENGTH_ETHERNET = 6;
    public static final int PROTOCOL_LENGTH_IPV4 = 4;

    public static final int OPCODE_REQUEST = 1;
    public static final int OPCODE_REPLY = 2;

    private UnsafeBuffer buffer;
    private int offset;

    public ArpFlyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int hardwareType()
    {
        return buffer.getShort(offset + HARDWARE_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int protocolType()
    {
        return buffer.getShort(offset + PROTOCOL_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public int hardwareLength()
    {
        return buffer.getByte(offset + HARDWARE_LENGTH_OFFSET) & 0xFF;
    }

    public int protocolLength()
    {
        return buffer.getByte(offset + PROTOCOL_LENGTH_OFFSET) & 0xFF;
    }

    public int opcode()
    {
        return buffer.getShort(offset + OPCODE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public long senderMac()
    {
        return EthernetFlyweight.readMac(buffer, offset + SENDER_MAC_OFFSET);
    }

    public int senderIp()
    {
        return buffer.getInt(offset + SENDER_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public long targetMac()
    {
        return EthernetFlyweight.readMac(buffer, offset + TARGET_MAC_OFFSET);
    }

    public int targetIp()
    {
        return buffer.getInt(offset + TARGET_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** The four fixed fields say Ethernet hardware addresses and IPv4 protocol addresses. */
    public boolean isEthernetIpv4()
    {
        return hardwareType() == HARDWARE_TYPE_ETHERNET &&
            protocolType() == PROTOCOL_TYPE_IPV4 &&
            hardwareLength() == HARDWARE_LENGTH_ETHERNET &&
            protocolLength() == PROTOCOL_LENGTH_IPV4;
    }

    public ArpFlyweight opcode(final int opcode)
    {
        buffer.putShort(offset + OPCODE_OFFSET, (short)opcode, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public ArpFlyweight senderMac(final long mac)
    {
        EthernetFlyweight.writeMac(buffer, offset + SENDER_MAC_OFFSET, mac);
        return this;
    }

    public ArpFlyweight senderIp(final int address)
    {
        buffer.putInt(offset + SENDER_IP_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public ArpFlyweight targetMac(final long mac)
    {
        EthernetFlyweight.writeMac(buffer, offset + TARGET_MAC_OFFSET, mac);
        return this;
    }

    public ArpFlyweight targetIp(final int address)
    {
        buffer.putInt(offset + TARGET_IP_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Writes a whole Ethernet/IPv4 ARP packet: the fixed fields, then the given ones. */
    public ArpFlyweight write(
        final int opcode, final long senderMac, final int senderIp, final long targetMac, final int targetIp)
    {
        write(buffer, offset, opcode, senderMac, senderIp, targetMac, targetIp);
        return this;
    }

    /**
     * {@link #write(int, long, int, long, int)} without a flyweight, for static helpers that must
     * not allocate one per call.
     */
    public static void write(
        final UnsafeBuffer buffer,
        final int offset,
        final int opcode,
        final long senderMac,
        final int senderIp,
        final long targetMac,
        final int targetIp)
    {
        buffer.putShort(offset + HARDWARE_TYPE_OFFSET, (short)HARDWARE_TYPE_ETHERNET, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + PROTOCOL_TYPE_OFFSET, (short)PROTOCOL_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + HARDWARE_LENGTH_OFFSET, (byte)HARDWARE_LENGTH_ETHERNET);
        buffer.putByte(offset + PROTOCOL_LENGTH_OFFSET, (byte)PROTOCOL_LENGTH_IPV4);
        buffer.putShort(offset + OPCODE_OFFSET, (short)opcode, ByteOrder.BIG_ENDIAN);
        EthernetFlyweight.writeMac(buffer, offset + SENDER_MAC_OFFSET, senderMac);
        buffer.putInt(offset + SENDER_IP_OFFSET, senderIp, ByteOrder.BIG_ENDIAN);
        EthernetFlyweight.writeMac(buffer, offset + TARGET_MAC_OFFSET, targetMac);
        buffer.putInt(offset + TARGET_IP_OFFSET, targetIp, ByteOrder.BIG_ENDIAN);
    }
}
