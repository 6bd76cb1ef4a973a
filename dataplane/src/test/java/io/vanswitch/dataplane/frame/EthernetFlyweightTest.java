package io.vanswitch.dataplane.frame;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EthernetFlyweightTest
{
    /** An ARP request header as captured on the wire, two bytes of padding in front of it. */
    private static final byte[] WIRE = {
        (byte)0xEE, (byte)0xEE,
        (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF,
        (byte)0x52, (byte)0x54, (byte)0x00, (byte)0x12, (byte)0x34, (byte)0x56,
        (byte)0x08, (byte)0x06,
        (byte)0x00, (byte)0x01,
    };
    private static final int FRAME_START = 2;

    private final UnsafeBuffer memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
    private final EthernetFlyweight ethernet = new EthernetFlyweight();

    @Test
    void pinsTheHeaderLayout()
    {
        assertEquals(0, EthernetFlyweight.DESTINATION_OFFSET);
        assertEquals(6, EthernetFlyweight.SOURCE_OFFSET);
        assertEquals(12, EthernetFlyweight.ETHER_TYPE_OFFSET);
        assertEquals(14, EthernetFlyweight.HEADER_LENGTH);
    }

    @Test
    void readsDestinationSourceAndTypeInNetworkOrder()
    {
        memory.putBytes(0, WIRE);

        ethernet.wrap(memory.addressOffset() + FRAME_START, WIRE.length - FRAME_START);

        assertEquals(MacAddress.BROADCAST, ethernet.destination());
        assertEquals(0x5254_0012_3456L, ethernet.source());
        assertEquals(EthernetFlyweight.ETHER_TYPE_ARP, ethernet.etherType());
    }

    @Test
    void readsEtherTypesWithTheHighBitSet()
    {
        memory.putBytes(0, WIRE);
        memory.putByte(FRAME_START + 12, (byte)0x86);
        memory.putByte(FRAME_START + 13, (byte)0xDD);

        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV6, ethernet.wrap(memory.addressOffset() + FRAME_START, 14).etherType());
    }

    @Test
    void readsMacsWithTheHighBitSetInEveryByteWithoutSignExtension()
    {
        final byte[] frame = new byte[14];
        for (int i = 0; i < 12; i++)
        {
            frame[i] = (byte)(0x80 | i);
        }
        memory.putBytes(0, frame);

        ethernet.wrap(memory.addressOffset(), 14);

        assertEquals(0x8081_8283_8485L, ethernet.destination());
        assertEquals(0x8687_8889_8A8BL, ethernet.source());
    }

    @Test
    void writesTheSameBytesItReads()
    {
        ethernet.wrap(memory.addressOffset() + FRAME_START, 14)
            .destination(MacAddress.BROADCAST)
            .source(0x5254_0012_3456L)
            .etherType(EthernetFlyweight.ETHER_TYPE_ARP);

        final byte[] written = new byte[14];
        memory.getBytes(FRAME_START, written);
        final byte[] expected = new byte[14];
        System.arraycopy(WIRE, FRAME_START, expected, 0, 14);
        assertArrayEquals(expected, written);
    }

    @Test
    void rewrapMovesToTheNextFrame()
    {
        memory.putBytes(0, WIRE);
        memory.putBytes(32, WIRE);
        memory.putByte(32 + FRAME_START + EthernetFlyweight.SOURCE_OFFSET + 5, (byte)0x01);

        assertEquals(0x5254_0012_3456L, ethernet.wrap(memory.addressOffset() + FRAME_START, 14).source());
        assertEquals(0x5254_0012_3401L, ethernet.wrap(memory.addressOffset() + 32 + FRAME_START, 14).source());
    }
}
