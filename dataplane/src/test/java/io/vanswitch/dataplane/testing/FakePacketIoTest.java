package io.vanswitch.dataplane.testing;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fixture the pipeline tests stand on: if it miscounts references, they prove nothing.
 */
class FakePacketIoTest
{
    private static final int PORT = 7;
    private static final long DST = 0x0200_0000_0002L;
    private static final long SRC = 0x0200_0000_0001L;

    private final FakePacketIo io = new FakePacketIo(16);
    private final UnsafeBuffer array = new UnsafeBuffer(BufferUtil.allocateDirectAligned(32 * Long.BYTES, 64));

    @AfterEach
    void close()
    {
        io.close();
    }

    @Test
    void receivedMbufIsLaidOutLikeAnRteMbuf()
    {
        final byte[] frame = Frames.frame(DST, SRC, Frames.ETHER_TYPE_IPV4, 100);
        final long address = io.receive(PORT, frame);

        final MbufFlyweight mbuf = new MbufFlyweight().wrap(address);
        assertEquals(0, address % 64);
        assertEquals(address + FakePacketIo.HEADER_ROOM, mbuf.bufAddr());
        assertEquals(128, mbuf.dataOff());
        assertEquals(100, mbuf.dataLen());
        assertEquals(100, mbuf.pktLen());
        assertEquals(1, mbuf.nbSegs());
        assertEquals(1, mbuf.refcnt());
        final byte[] data = new byte[100];
        new UnsafeBuffer(mbuf.dataAddress(), 100).getBytes(0, data);
        assertArrayEquals(frame, data);
    }

    @Test
    void rxBurstHandsOutQueuedMbufsInOrderUpToMax()
    {
        final long first = io.receive(PORT, Frames.frame(DST, SRC));
        final long second = io.receive(PORT, Frames.frame(DST, SRC));
        final long third = io.receive(PORT, Frames.frame(DST, SRC));

        assertEquals(2, io.rxBurst(PORT, 0, array.addressOffset(), 2));
        assertEquals(first, array.getLong(0));
        assertEquals(second, array.getLong(8));
        assertEquals(1, io.rxBurst(PORT, 0, array.addressOffset(), 32));
        assertEquals(third, array.getLong(0));
        assertEquals(0, io.rxBurst(PORT, 0, array.addressOffset(), 32));
        assertEquals(0, io.rxBurst(PORT + 1, 0, array.addressOffset(), 32));
    }

    @Test
    void transmittedFramesAreRecordedAndFreedByTheDriver()
    {
        final byte[] frame = Frames.frame(DST, SRC);
        array.putLong(0, io.receive(PORT, frame));

        assertEquals(1, io.txBurst(3, 1, array.addressOffset(), 1));

        assertEquals(1, io.sentOn(3).size());
        assertArrayEquals(frame, io.sentOn(3).get(0).bytes());
        assertEquals(DST, io.sentOn(3).get(0).destination());
        assertEquals(SRC, io.sentOn(3).get(0).source());
        assertEquals(1, io.lastTxQueue(3));
        assertEquals(0, io.mbufsInUse());
    }

    @Test
    void mbufIsFreedWhenItsLastReferenceGoes()
    {
        final long mbuf = io.receive(PORT, Frames.frame(DST, SRC));
        io.refcntUpdate(mbuf, 2);
        array.putLong(0, mbuf);
        array.putLong(8, mbuf);

        assertEquals(2, io.txBurst(3, 0, array.addressOffset(), 2));
        assertEquals(1, io.refcnt(mbuf));
        assertEquals(1, io.mbufsInUse());

        io.free(mbuf);
        assertEquals(0, io.mbufsInUse());
        assertThrows(IllegalStateException.class, () -> io.free(mbuf));
    }

    @Test
    void limitedTxQueueTakesOnlyPartOfABurstAndLeavesTheRestToTheCaller()
    {
        io.acceptTxPerCall(3, 1);
        array.putLong(0, io.receive(PORT, Frames.frame(DST, SRC)));
        array.putLong(8, io.receive(PORT, Frames.frame(DST, SRC)));

        assertEquals(1, io.txBurst(3, 0, array.addressOffset(), 2));
        assertEquals(1, io.txRejected(3));
        assertEquals(1, io.mbufsInUse());

        io.freeBulk(array.addressOffset() + Long.BYTES, 1);
        assertEquals(0, io.mbufsInUse());
    }

    @Test
    void rejectsPointersThatAreNotItsMbufs()
    {
        assertThrows(IllegalStateException.class, () -> io.free(array.addressOffset()));
    }

    @Test
    void eachRxQueueOfAPortIsItsOwn()
    {
        final long onZero = io.receive(PORT, Frames.frame(DST, SRC));
        final long onTwo = io.receive(PORT, 2, Frames.frame(DST, SRC));

        assertEquals(2, io.pendingRx(PORT));
        assertEquals(1, io.rxBurst(PORT, 2, array.addressOffset(), 32));
        assertEquals(onTwo, array.getLong(0));
        assertEquals(1, io.rxBurst(PORT, 0, array.addressOffset(), 32));
        assertEquals(onZero, array.getLong(0));
        assertEquals(0, io.pendingRx(PORT));
        io.freeBulk(array.addressOffset(), 1);
        io.free(onTwo);
        assertEquals(0, io.mbufsInUse());
    }

    @Test
    void allocatedMbufIsEmptyWithTheDefaultHeadroom()
    {
        final long address = io.alloc();

        final MbufFlyweight mbuf = new MbufFlyweight().wrap(address);
        assertEquals(FakePacketIo.HEADROOM, mbuf.dataOff());
        assertEquals(0, mbuf.dataLen());
        assertEquals(0, mbuf.pktLen());
        assertEquals(FakePacketIo.BUF_LEN, mbuf.bufLen());
        assertEquals(1, mbuf.refcnt());
        assertEquals(1, io.mbufsInUse());
        io.free(address);

        io.failAlloc(true);
        assertEquals(0, io.alloc(), "an empty pool");
        assertEquals(0, io.mbufsInUse());
    }

    @Test
    void copyIsANewMbufWithTheSameDataAndHeadroom()
    {
        final byte[] frame = Frames.frame(DST, SRC, Frames.ETHER_TYPE_IPV4, 100);
        final long original = io.allocate(frame, 90);

        final long copy = io.copy(original);

        final MbufFlyweight mbuf = new MbufFlyweight().wrap(copy);
        assertEquals(90, mbuf.dataOff());
        assertEquals(100, mbuf.dataLen());
        assertEquals(100, mbuf.pktLen());
        assertEquals(1, mbuf.refcnt());
        assertArrayEquals(frame, io.data(copy));
        assertEquals(1, io.copies());
        new UnsafeBuffer(mbuf.dataAddress(), 100).putByte(0, (byte)0x55);
        assertArrayEquals(frame, io.data(original), "a deep copy: writing one leaves the other");
        io.free(copy);
        io.free(original);
        assertEquals(0, io.mbufsInUse());
    }

    @Test
    void copyFailsWhenTheTestSaysSo()
    {
        final long original = io.receive(PORT, Frames.frame(DST, SRC));
        io.failCopy(true);

        assertEquals(0, io.copy(original));
        assertEquals(0, io.copies());
        assertEquals(1, io.mbufsInUse());
        io.rxBurst(PORT, 0, array.addressOffset(), 1);
        io.free(original);
    }

    @Test
    void anExhaustedPoolAllocatesAndCopiesNothing()
    {
        final FakePacketIo tiny = new FakePacketIo(1);
        try
        {
            final long only = tiny.alloc();
            assertEquals(0, tiny.alloc());
            assertEquals(0, tiny.copy(only));
            tiny.free(only);
            assertEquals(0, tiny.mbufsInUse());
        }
        finally
        {
            tiny.close();
        }
    }
}
