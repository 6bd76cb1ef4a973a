package io.vanswitch.dataplane.frame;

import io.vanswitch.dataplane.testing.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UdpFlyweightTest
{
    /** From port 50000 to the overlay's 4797, 58 bytes, no checksum. */
    private static final byte[] OVERLAY = Hex.bytes("c3 50 12 bd 00 3a 00 00");

    private final UdpFlyweight udp = new UdpFlyweight();

    @Test
    void pinsTheHeaderLayout()
    {
        assertEquals(0, UdpFlyweight.SOURCE_PORT_OFFSET);
        assertEquals(2, UdpFlyweight.DESTINATION_PORT_OFFSET);
        assertEquals(4, UdpFlyweight.LENGTH_OFFSET);
        assertEquals(6, UdpFlyweight.CHECKSUM_OFFSET);
        assertEquals(8, UdpFlyweight.HEADER_LENGTH);
    }

    @Test
    void readsAHeader()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[42]);
        buffer.putBytes(34, OVERLAY);
        udp.wrap(buffer, 34);
        assertEquals(50000, udp.sourcePort());
        assertEquals(4797, udp.destinationPort());
        assertEquals(58, udp.length());
        assertEquals(UdpFlyweight.NO_CHECKSUM, udp.checksum());
    }

    @Test
    void writesAHeaderByteForByte()
    {
        final byte[] wire = new byte[8];
        final UnsafeBuffer buffer = new UnsafeBuffer(wire);
        buffer.setMemory(0, 8, (byte)0xEE);
        udp.wrap(buffer, 0).writeHeader(50000, 4797, 58);
        assertArrayEquals(OVERLAY, wire);
    }

    @Test
    void readsAndWritesEveryFieldWithoutSignExtension()
    {
        udp.wrap(new UnsafeBuffer(new byte[8]), 0).sourcePort(65535).destinationPort(65534).length(65533).checksum(0xFFFF);
        assertEquals(65535, udp.sourcePort());
        assertEquals(65534, udp.destinationPort());
        assertEquals(65533, udp.length());
        assertEquals(0xFFFF, udp.checksum());
    }
}
