package io.vanswitch.dataplane.overlay;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.testing.FakePacketIo;
import io.vanswitch.dataplane.testing.Frames;
import io.vanswitch.dataplane.testing.Hex;
import io.vanswitch.dataplane.testing.OverlayFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static io.vanswitch.dataplane.testing.OverlayFrames.INNER_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.IP_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.UDP_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.VAN_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.concat;
import static io.vanswitch.dataplane.testing.OverlayFrames.get16;
import static io.vanswitch.dataplane.testing.OverlayFrames.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encapsulation in place (docs/wire-format.md): the 54 bytes in front of a tenant frame, byte by
 * byte, and the mbuf left exactly as it was when the frame cannot go.
 */
class EncapsulatorTest
{
    private static final long ALICE = 0x5254_0000_0001L;
    private static final long BOB = 0x5254_0000_0002L;
    private static final int VAN_ID = 10;
    private static final int MAX_INNER = 1460;

    /** A 60-byte IPv4 frame from Alice to Bob. */
    private static final byte[] INNER = Frames.frame(BOB, ALICE);

    private static final RemoteEdge EDGE = new RemoteEdge(3, PEER_1_IP, OverlayFrames.template(PEER_1_MAC, PEER_1_IP));

    /**
     * What goes in front of INNER as DATA in VAN 10, the UDP source port ("SP SP") aside: from
     * 52:54:00:12:34:56 to 52:54:00:ab:cd:ef; IPv4 total length 100, DF, TTL 64, UDP, checksum 0x2687,
     * 10.0.0.1 to 10.0.0.2; UDP to 4797, length 80, checksum 0; version 1 / DATA, VAN 10 to VAN 10.
     */
    private static final String DATA_HEADERS =
        "52 54 00 ab cd ef 52 54 00 12 34 56 08 00" +
        "45 00 00 64 00 00 40 00 40 11 26 87 0a 00 00 01 0a 00 00 02" +
        "SP SP 12 bd 00 50 00 00" +
        "11 00 00 00 00 00 00 0a 00 00 00 0a";

    private final FakePacketIo io = new FakePacketIo(64);
    private final Encapsulator encapsulator = new Encapsulator();
    private final MbufFlyweight mbuf = new MbufFlyweight();

    @AfterEach
    void close()
    {
        assertEquals(0, io.mbufsInUse(), "every mbuf freed");
        io.close();
    }

    private static byte[] expected(final String headers, final int sourcePort, final byte[] inner)
    {
        return concat(Hex.bytes(headers.replace("SP SP", String.format("%02x %02x", sourcePort >>> 8, sourcePort & 0xFF))), inner);
    }

    private static int sourcePort(final byte[] frame)
    {
        return get16(frame, UDP_AT);
    }

    /** Encapsulates a copy of {@code inner} as DATA in VAN 10 and returns the bytes, freeing the mbuf. */
    private byte[] encapsulated(final byte[] inner)
    {
        final long address = io.allocate(inner, FakePacketIo.HEADROOM);
        assertEquals(Encapsulator.OK, encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, MAX_INNER));
        final byte[] frame = io.data(address);
        io.free(address);
        return frame;
    }

    @Test
    void putsExactlyTheDocumentedHeadersInFrontOfTheUnchangedFrame()
    {
        final long address = io.allocate(INNER, FakePacketIo.HEADROOM);

        final int result = encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, MAX_INNER);

        assertEquals(Encapsulator.OK, result);
        final byte[] frame = io.data(address);
        final int sourcePort = sourcePort(frame);
        assertTrue(sourcePort >= 49152 && sourcePort <= 65535, "ECMP source port in 49152..65535: " + sourcePort);
        assertArrayEquals(expected(DATA_HEADERS, sourcePort, INNER), frame, Hex.dump(frame));
        assertEquals(0, Hex.referenceChecksum(frame, IP_AT, 20), "valid IPv4 header checksum");
        io.free(address);
    }

    @Test
    void movesTheStartIntoTheHeadroomAndGrowsBothLengthsBy54()
    {
        final long address = io.allocate(INNER, FakePacketIo.HEADROOM);

        encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, MAX_INNER);

        mbuf.wrap(address);
        assertEquals(Encapsulator.OVERHEAD, 54);
        assertEquals(FakePacketIo.HEADROOM - 54, mbuf.dataOff());
        assertEquals(60 + 54, mbuf.dataLen());
        assertEquals(60 + 54, mbuf.pktLen());
        assertEquals(1, mbuf.nbSegs());
        io.free(address);
    }

    @Test
    void floodCarriesItsTypeAndBothVanIdsAsGiven()
    {
        final long address = io.allocate(INNER, FakePacketIo.HEADROOM);

        // ids as a proxy would translate them; 0xFEDCBA98 shows they are written unsigned, all 32 bits
        encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_FLOOD, 17, 0xFEDC_BA98, MAX_INNER);

        final byte[] frame = io.data(address);
        assertEquals("12 00 00 00 00 00 00 11 fe dc ba 98", Hex.dump(slice(frame, VAN_AT, INNER_AT)));
        assertArrayEquals(INNER, slice(frame, INNER_AT, frame.length));
        io.free(address);
    }

    @Test
    void lengthsAndChecksumFollowTheInnerFrame()
    {
        for (final int length : new int[]{ 14, 60, 61, 1000, MAX_INNER })
        {
            final byte[] frame = encapsulated(Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, length));

            assertEquals(54 + length, frame.length);
            assertEquals(20 + 8 + 12 + length, get16(frame, IP_AT + 2), "IPv4 total length for " + length);
            assertEquals(8 + 12 + length, get16(frame, UDP_AT + 4), "UDP length for " + length);
            assertEquals(0, Hex.referenceChecksum(frame, IP_AT, 20), "checksum for " + length);
        }
    }

    @Test
    void leavesTheEdgeTemplateAsItWasForTheNextFrame()
    {
        final byte[] before = EDGE.template().clone();

        encapsulated(INNER);
        final byte[] second = encapsulated(Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, 200));

        assertArrayEquals(before, EDGE.template(), "lengths and checksum are written into the mbuf only");
        assertEquals(0, Hex.referenceChecksum(second, IP_AT, 20));
    }

    @Test
    void sourcePortIsTheSameForEveryFrameBetweenTheSameMacs()
    {
        final int first = sourcePort(encapsulated(INNER));
        final int second = sourcePort(encapsulated(Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, 1000)));

        assertEquals(first, second, "one flow, one path through the underlay");
    }

    @Test
    void sourcePortSpreadsDifferentFlows()
    {
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 64; i++)
        {
            final int port = sourcePort(encapsulated(Frames.frame(BOB, 0x5254_0000_0100L + i)));
            assertTrue(port >= 49152 && port <= 65535, "in range: " + port);
            ports.add(port);
        }

        assertTrue(ports.size() >= 32, "64 flows on " + ports.size() + " source ports");
        assertNotEquals(
            sourcePort(encapsulated(Frames.frame(BOB, ALICE))), sourcePort(encapsulated(Frames.frame(ALICE, BOB))),
            "the two directions of a conversation are two flows");
    }

    @Test
    void frameOfExactlyTheLargestInnerSizeFits()
    {
        final long address = io.allocate(Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, 100), FakePacketIo.HEADROOM);

        assertEquals(Encapsulator.OK, encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, 100));
        io.free(address);
    }

    @Test
    void oversizeFrameIsRefusedAndTheMbufLeftUnchanged()
    {
        final byte[] inner = Frames.frame(BOB, ALICE, Frames.ETHER_TYPE_IPV4, 101);
        final long address = io.allocate(inner, FakePacketIo.HEADROOM);

        final int result = encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, 100);

        assertEquals(Encapsulator.OVERSIZE, result);
        assertUnchanged(address, FakePacketIo.HEADROOM, inner);
        io.free(address);
    }

    @Test
    void frameWithoutRoomForTheHeadersIsRefusedAndTheMbufLeftUnchanged()
    {
        final long address = io.allocate(INNER, 53);

        final int result = encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, MAX_INNER);

        assertEquals(Encapsulator.NO_HEADROOM, result);
        assertUnchanged(address, 53, INNER);
        io.free(address);
    }

    @Test
    void exactly54BytesOfHeadroomAreEnough()
    {
        final long address = io.allocate(INNER, 54);

        assertEquals(Encapsulator.OK, encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, MAX_INNER));

        assertEquals(0, mbuf.wrap(address).dataOff());
        final byte[] frame = io.data(address);
        assertArrayEquals(expected(DATA_HEADERS, sourcePort(frame), INNER), frame);
        io.free(address);
    }

    @Test
    void chainedMbufIsRefusedAndLeftUnchanged()
    {
        final long address = io.allocate(INNER, FakePacketIo.HEADROOM);
        new UnsafeBuffer(address, MbufFlyweight.HEADER_LENGTH).putShort(MbufFlyweight.NB_SEGS_OFFSET, (short)2);

        final int result = encapsulator.encapsulate(address, EDGE, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, MAX_INNER);

        assertEquals(Encapsulator.NO_HEADROOM, result);
        assertUnchanged(address, FakePacketIo.HEADROOM, INNER);
        new UnsafeBuffer(address, MbufFlyweight.HEADER_LENGTH).putShort(MbufFlyweight.NB_SEGS_OFFSET, (short)1);
        io.free(address);
    }

    private void assertUnchanged(final long address, final int headroom, final byte[] inner)
    {
        mbuf.wrap(address);
        assertEquals(headroom, mbuf.dataOff());
        assertEquals(inner.length, mbuf.dataLen());
        assertEquals(inner.length, mbuf.pktLen());
        assertArrayEquals(inner, io.data(address));
    }
}
