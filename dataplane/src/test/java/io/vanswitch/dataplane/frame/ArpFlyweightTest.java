package io.vanswitch.dataplane.frame;

import io.vanswitch.dataplane.testing.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArpFlyweightTest
{
    /** Who has 10.0.0.1? Tell 10.0.0.2 (52:54:00:ab:cd:ef): the ARP part of a captured request. */
    private static final byte[] REQUEST = Hex.bytes(
        "00 01 08 00 06 04 00 01 52 54 00 ab cd ef 0a 00 00 02 00 00 00 00 00 00 0a 00 00 01");

    private final ArpFlyweight arp = new ArpFlyweight();

    @Test
    void pinsTheLayout()
    {
        assertEquals(0, ArpFlyweight.HARDWARE_TYPE_OFFSET);
        assertEquals(2, ArpFlyweight.PROTOCOL_TYPE_OFFSET);
        assertEquals(4, ArpFlyweight.HARDWARE_LENGTH_OFFSET);
        assertEquals(5, ArpFlyweight.PROTOCOL_LENGTH_OFFSET);
        assertEquals(6, ArpFlyweight.OPCODE_OFFSET);
        assertEquals(8, ArpFlyweight.SENDER_MAC_OFFSET);
        assertEquals(14, ArpFlyweight.SENDER_IP_OFFSET);
        assertEquals(18, ArpFlyweight.TARGET_MAC_OFFSET);
        assertEquals(24, ArpFlyweight.TARGET_IP_OFFSET);
        assertEquals(28, ArpFlyweight.LENGTH);
    }

    @Test
    void readsACapturedRequest()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[14 + 28]);
        buffer.putBytes(14, REQUEST);
        arp.wrap(buffer, 14);
        assertEquals(ArpFlyweight.HARDWARE_TYPE_ETHERNET, arp.hardwareType());
        assertEquals(ArpFlyweight.PROTOCOL_TYPE_IPV4, arp.protocolType());
        assertEquals(6, arp.hardwareLength());
        assertEquals(4, arp.protocolLength());
        assertTrue(arp.isEthernetIpv4());
        assertEquals(ArpFlyweight.OPCODE_REQUEST, arp.opcode());
        assertEquals(0x5254_00AB_CDEFL, arp.senderMac());
        assertEquals(0x0A00_0002, arp.senderIp());
        assertEquals(0L, arp.targetMac());
        assertEquals(0x0A00_0001, arp.targetIp());
    }

    @Test
    void knowsOnlyEthernetAndIpv4()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(REQUEST.clone());
        arp.wrap(buffer, 0);
        buffer.putByte(1, (byte)6);
        assertFalse(arp.isEthernetIpv4(), "IEEE 802 hardware");
        buffer.putBytes(0, REQUEST);
        buffer.putByte(5, (byte)16);
        assertFalse(arp.isEthernetIpv4(), "16-byte protocol addresses");
    }

    @Test
    void writesARequestByteForByteWithEitherWriter()
    {
        final byte[] wire = new byte[28];
        arp.wrap(new UnsafeBuffer(wire), 0).write(ArpFlyweight.OPCODE_REQUEST, 0x5254_00AB_CDEFL, 0x0A00_0002, 0L, 0x0A00_0001);
        assertArrayEquals(REQUEST, wire, Hex.dump(wire));

        final byte[] other = new byte[30];
        ArpFlyweight.write(new UnsafeBuffer(other), 2, ArpFlyweight.OPCODE_REQUEST, 0x5254_00AB_CDEFL, 0x0A00_0002, 0L,
            0x0A00_0001);
        assertArrayEquals(REQUEST, java.util.Arrays.copyOfRange(other, 2, 30));
    }

    @Test
    void writesFieldsWithTheHighBitSet()
    {
        arp.wrap(new UnsafeBuffer(new byte[28]), 0)
            .opcode(ArpFlyweight.OPCODE_REPLY)
            .senderMac(0xFEFF_FFFF_FFFEL)
            .senderIp(0xFFFF_FFFE)
            .targetMac(MacAddress.BROADCAST)
            .targetIp(0xC0A8_0101);
        assertEquals(ArpFlyweight.OPCODE_REPLY, arp.opcode());
        assertEquals(0xFEFF_FFFF_FFFEL, arp.senderMac());
        assertEquals(0xFFFF_FFFE, arp.senderIp());
        assertEquals(MacAddress.BROADCAST, arp.targetMac());
        assertEquals(0xC0A8_0101, arp.targetIp());
    }
}
