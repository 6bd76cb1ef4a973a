package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.pipeline.PacketIo;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A device layer for the microbenchmarks: no EAL, no DPDK library, and nothing allocated once
 * built. The same received frames go round and round, so a benchmark measures the switch, not a
 * traffic generator.
 * <p>
 * Mbufs live in one off-heap block, each laid out like a {@code struct rte_mbuf} at the offsets
 * {@link MbufFlyweight} reads, then headroom and data room, as in a DPDK mempool (and as the
 * dataplane tests' FakePacketIo, which is test code and not visible here). The first
 * {@code rxMbufs} are <em>received</em> mbufs: when their last reference goes (transmitted or
 * freed) they are re-armed as the frame they held when received (start, lengths, one reference),
 * which is what a driver's free and the next rx would do; a stage that strips or prepends headers in
 * the headroom therefore sees the same frame again next time. The rest are a pool for
 * {@link #copy(long)} (flood copies to remote edges), returned to it at the last reference.
 * <p>
 * Received frames are put back in place only by their headers: a stage that rewrites the frame's
 * bytes (an ARP reply) would need them copied back, so the benchmarks do not use one.
 */
final class BenchPacketIo implements PacketIo
{
    /** Room for the rte_mbuf header (two cache lines) and a private area, before the buffer. */
    static final int HEADER_ROOM = 256;
    /** RTE_PKTMBUF_HEADROOM. */
    static final int HEADROOM = 128;
    static final int DATA_ROOM = 2048;
    static final int BUF_LEN = HEADROOM + DATA_ROOM;
    /** One mempool element: a multiple of 64, so every mbuf is cache-line aligned. */
    static final int MBUF_SIZE = HEADER_ROOM + BUF_LEN;
    static final int MAX_PORT_IDS = 64;

    /** In the private area after the rte_mbuf header: the received frame's data_off and length. */
    private static final int ARMED_DATA_OFF_OFFSET = MbufFlyweight.HEADER_LENGTH;
    private static final int ARMED_LENGTH_OFFSET = MbufFlyweight.HEADER_LENGTH + 4;

    private final UnsafeBuffer memory;
    private final long base;
    private final int rxMbufs;
    private final int mbufCount;
    private final int[] poolStack;
    private int poolFree;
    private int nextRx;

    /** Re-pointed at whatever native pointer array the switch hands in (rx, tx, free bulk). */
    private final UnsafeBuffer pointers = new UnsafeBuffer(0, 0);
    private final long[] rxFrames = new long[64];
    private int rxPortId = -1;
    private int rxFrameCount;
    private final long[] txPackets = new long[MAX_PORT_IDS];
    private long txTotal;
    private long copies;

    /**
     * @param rxMbufs   mbufs for received frames ({@link #receive}).
     * @param poolMbufs mbufs for copies.
     */
    BenchPacketIo(final int rxMbufs, final int poolMbufs)
    {
        this.rxMbufs = rxMbufs;
        this.mbufCount = rxMbufs + poolMbufs;
        this.memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(mbufCount * MBUF_SIZE, 64));
        this.base = memory.addressOffset();
        this.poolStack = new int[poolMbufs];
        for (int i = mbufCount - 1; i >= rxMbufs; i--)
        {
            poolStack[poolFree++] = i;
        }
    }

    // ---- benchmark side ----

    /**
     * Takes the next received-frame mbuf and puts {@code frame} in it after {@code headroom} bytes:
     * how it looks whenever it is re-armed.
     */
    long receive(final byte[] frame, final int headroom, final int portId)
    {
        if (nextRx == rxMbufs)
        {
            throw new IllegalStateException("all " + rxMbufs + " received-frame mbufs in use");
        }
        if (headroom + frame.length > BUF_LEN)
        {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes does not fit one mbuf");
        }
        final int offset = nextRx++ * MBUF_SIZE;
        final long mbuf = base + offset;
        memory.setMemory(offset, HEADER_ROOM, (byte)0);
        memory.putLong(offset + MbufFlyweight.BUF_ADDR_OFFSET, mbuf + HEADER_ROOM);
        memory.putShort(offset + MbufFlyweight.NB_SEGS_OFFSET, (short)1);
        memory.putShort(offset + MbufFlyweight.PORT_OFFSET, (short)portId);
        memory.putShort(offset + MbufFlyweight.BUF_LEN_OFFSET, (short)BUF_LEN);
        memory.putBytes(offset + HEADER_ROOM + headroom, frame);
        memory.putInt(offset + ARMED_DATA_OFF_OFFSET, headroom);
        memory.putInt(offset + ARMED_LENGTH_OFFSET, frame.length);
        rearm(offset);
        return mbuf;
    }

    /** Changes what a received mbuf is re-armed as: its current start and length (after building it in place). */
    void armAsIs(final long mbuf)
    {
        final int offset = offsetOf(mbuf);
        memory.putInt(offset + ARMED_DATA_OFF_OFFSET, memory.getShort(offset + MbufFlyweight.DATA_OFF_OFFSET) & 0xFFFF);
        memory.putInt(offset + ARMED_LENGTH_OFFSET, memory.getInt(offset + MbufFlyweight.PKT_LEN_OFFSET));
    }

    /** Puts a received mbuf back as it was received, one reference: for benchmarks that drive a stage by hand. */
    void rearm(final long mbuf)
    {
        rearm(offsetOf(mbuf));
    }

    /** Every rxBurst on {@code portId} (any queue) returns these mbufs, in this order; other ports return none. */
    void receiveOn(final int portId, final long[] mbufs, final int count)
    {
        System.arraycopy(mbufs, 0, rxFrames, 0, count);
        rxPortId = portId;
        rxFrameCount = count;
    }

    long txPackets(final int portId)
    {
        return txPackets[portId];
    }

    long txTotal()
    {
        return txTotal;
    }

    long copies()
    {
        return copies;
    }

    int refcnt(final long mbuf)
    {
        return memory.getShort(offsetOf(mbuf) + MbufFlyweight.REFCNT_OFFSET) & 0xFFFF;
    }

    /** True when every received mbuf holds exactly one reference and every copy is back in the pool: nothing leaked. */
    boolean settled()
    {
        for (int i = 0; i < nextRx; i++)
        {
            if (refcnt(base + (long)i * MBUF_SIZE) != 1)
            {
                return false;
            }
        }
        return poolFree == poolStack.length;
    }

    /** The data of a received mbuf as it is now (outside measurement: allocates). */
    byte[] data(final long mbuf)
    {
        final int offset = offsetOf(mbuf);
        final int start = memory.getShort(offset + MbufFlyweight.DATA_OFF_OFFSET) & 0xFFFF;
        final byte[] data = new byte[memory.getShort(offset + MbufFlyweight.DATA_LEN_OFFSET) & 0xFFFF];
        memory.getBytes(offset + HEADER_ROOM + start, data);
        return data;
    }

    // ---- PacketIo: the switch's side ----

    public int rxBurst(final int portId, final int queueId, final long mbufArray, final int max)
    {
        if (portId != rxPortId)
        {
            return 0;
        }
        final int count = Math.min(max, rxFrameCount);
        pointers.wrap(mbufArray, max * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            pointers.putLong(i * Long.BYTES, rxFrames[i]);
        }
        return count;
    }

    public int txBurst(final int portId, final int queueId, final long mbufArray, final int count)
    {
        pointers.wrap(mbufArray, count * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            release(pointers.getLong(i * Long.BYTES)); // the driver frees what it sent
        }
        txPackets[portId] += count;
        txTotal += count;
        return count;
    }

    public void free(final long mbuf)
    {
        release(mbuf);
    }

    public void freeBulk(final long mbufArray, final int count)
    {
        pointers.wrap(mbufArray, Math.max(1, count) * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            release(pointers.getLong(i * Long.BYTES));
        }
    }

    public void refcntUpdate(final long mbuf, final int delta)
    {
        final int offset = offsetOf(mbuf);
        memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET,
            (short)((memory.getShort(offset + MbufFlyweight.REFCNT_OFFSET) & 0xFFFF) + delta));
    }

    /** A deep copy from the pool, as rte_pktmbuf_copy: the same start, lengths and data, its own reference. */
    public long copy(final long mbuf)
    {
        if (poolFree == 0)
        {
            return 0;
        }
        final int from = offsetOf(mbuf);
        final int to = poolStack[--poolFree] * MBUF_SIZE;
        final int dataOff = memory.getShort(from + MbufFlyweight.DATA_OFF_OFFSET) & 0xFFFF;
        final int dataLen = memory.getShort(from + MbufFlyweight.DATA_LEN_OFFSET) & 0xFFFF;
        memory.putBytes(to, memory, from, MbufFlyweight.HEADER_LENGTH);
        memory.putLong(to + MbufFlyweight.BUF_ADDR_OFFSET, base + to + HEADER_ROOM);
        memory.putShort(to + MbufFlyweight.REFCNT_OFFSET, (short)1);
        memory.putBytes(to + HEADER_ROOM + dataOff, memory, from + HEADER_ROOM + dataOff, dataLen);
        copies++;
        return base + to;
    }

    public void onThreadStart(final int cpu)
    {
    }

    public void onThreadStop()
    {
    }

    // ---- mbufs ----

    private void release(final long mbuf)
    {
        final int offset = offsetOf(mbuf);
        final int refcnt = memory.getShort(offset + MbufFlyweight.REFCNT_OFFSET) & 0xFFFF;
        if (refcnt == 0)
        {
            throw new IllegalStateException("double free of mbuf at offset " + offset);
        }
        if (refcnt > 1)
        {
            memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET, (short)(refcnt - 1));
        }
        else if (offset < rxMbufs * MBUF_SIZE)
        {
            rearm(offset);
        }
        else
        {
            memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET, (short)0);
            poolStack[poolFree++] = offset / MBUF_SIZE;
        }
    }

    private void rearm(final int offset)
    {
        final int length = memory.getInt(offset + ARMED_LENGTH_OFFSET);
        memory.putShort(offset + MbufFlyweight.DATA_OFF_OFFSET, (short)memory.getInt(offset + ARMED_DATA_OFF_OFFSET));
        memory.putShort(offset + MbufFlyweight.DATA_LEN_OFFSET, (short)length);
        memory.putInt(offset + MbufFlyweight.PKT_LEN_OFFSET, length);
        memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET, (short)1);
    }

    private int offsetOf(final long mbuf)
    {
        // no range check: the measured path must stay as lean as a driver's; settled() finds leaks
        return (int)(mbuf - base);
    }
}
