package io.vanswitch.perf.loadgen;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.pipeline.PacketIo;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A two-port "switch" in memory for the generator's unit tests: what port 0 (A) transmits appears
 * in port 1's (B's) receive queue and the other way round, at once. Mbufs live in one native block
 * laid out at the offsets {@link MbufFlyweight} reads. It can drop everything (a switch that is not
 * there) and record the MACs of transmitted frames. Nothing allocates unless recording is on.
 */
final class LoopbackPacketIo implements PacketIo, AutoCloseable
{
    static final int HEADER_ROOM = 256;
    static final int HEADROOM = 128;
    static final int BUF_LEN = HEADROOM + 2048;
    static final int MBUF_SIZE = HEADER_ROOM + BUF_LEN;
    private static final int RING = 4096;

    private final Arena arena = Arena.ofConfined();
    private final int mbufCount;
    private final long base;
    private final UnsafeBuffer memory;
    private final UnsafeBuffer pointers = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer bulk = new UnsafeBuffer(0, 0);
    private final int[] freeStack;
    private int freeCount;
    private final long[][] rings = new long[2][RING];
    private final long[] heads = new long[2];
    private final long[] tails = new long[2];
    private boolean deliver = true;
    private int dropEvery;
    private long transmitted;
    private LongHashSet destinationsFromA;
    private LongHashSet sourcesFromB;

    LoopbackPacketIo(final int mbufCount)
    {
        this.mbufCount = mbufCount;
        final MemorySegment block = arena.allocate((long)mbufCount * MBUF_SIZE, 64);
        this.base = block.address();
        this.memory = new UnsafeBuffer(base, Math.toIntExact(block.byteSize()));
        this.freeStack = new int[mbufCount];
        for (int i = mbufCount - 1; i >= 0; i--)
        {
            freeStack[freeCount++] = i;
        }
    }

    /** Off: every transmitted frame is dropped, as by a switch with no ports joined. */
    void deliver(final boolean deliver)
    {
        this.deliver = deliver;
    }

    /** Drops every n-th transmitted frame (0: none), as a switch that loses some. */
    void dropEvery(final int n)
    {
        this.dropEvery = n;
    }

    /** Records the destination MACs of A's frames and the source MACs of B's from now on. */
    void recordMacs()
    {
        destinationsFromA = new LongHashSet();
        sourcesFromB = new LongHashSet();
    }

    LongHashSet destinationsFromA()
    {
        return destinationsFromA;
    }

    LongHashSet sourcesFromB()
    {
        return sourcesFromB;
    }

    /** Mbufs neither free nor queued: leaked by the code under test. */
    int leaked()
    {
        long queued = 0;
        for (int port = 0; port < 2; port++)
        {
            queued += tails[port] - heads[port];
        }
        return (int)(mbufCount - freeCount - queued);
    }

    public long alloc()
    {
        if (0 == freeCount)
        {
            return 0;
        }
        final int index = freeStack[--freeCount];
        final long mbuf = base + (long)index * MBUF_SIZE;
        final int at = index * MBUF_SIZE;
        memory.putLong(at + MbufFlyweight.BUF_ADDR_OFFSET, mbuf + HEADER_ROOM);
        memory.putShort(at + MbufFlyweight.DATA_OFF_OFFSET, (short)HEADROOM);
        memory.putShort(at + MbufFlyweight.REFCNT_OFFSET, (short)1);
        memory.putShort(at + MbufFlyweight.NB_SEGS_OFFSET, (short)1);
        memory.putShort(at + MbufFlyweight.BUF_LEN_OFFSET, (short)BUF_LEN);
        memory.putShort(at + MbufFlyweight.DATA_LEN_OFFSET, (short)0);
        memory.putInt(at + MbufFlyweight.PKT_LEN_OFFSET, 0);
        return mbuf;
    }

    public int allocBulk(final long mbufArray, final int count)
    {
        if (freeCount < count)
        {
            return -2;  // -ENOENT, as rte_pktmbuf_alloc_bulk
        }
        bulk.wrap(mbufArray, count * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            bulk.putLong(i * Long.BYTES, alloc());
        }
        return 0;
    }

    public int rxBurst(final int portId, final int queueId, final long mbufArray, final int max)
    {
        pointers.wrap(mbufArray, max * Long.BYTES);
        int received = 0;
        while (received < max && heads[portId] < tails[portId])
        {
            pointers.putLong(received * Long.BYTES, rings[portId][(int)(heads[portId]++ % RING)]);
            received++;
        }
        return received;
    }

    public int txBurst(final int portId, final int queueId, final long mbufArray, final int count)
    {
        pointers.wrap(mbufArray, count * Long.BYTES);
        final int peer = 1 - portId;
        for (int i = 0; i < count; i++)
        {
            final long mbuf = pointers.getLong(i * Long.BYTES);
            record(portId, mbuf);
            final boolean dropped = dropEvery > 0 && ++transmitted % dropEvery == 0;
            if (deliver && !dropped && tails[peer] - heads[peer] < RING)
            {
                rings[peer][(int)(tails[peer]++ % RING)] = mbuf;
            }
            else
            {
                free(mbuf);
            }
        }
        return count;
    }

    private void record(final int portId, final long mbuf)
    {
        if (null == destinationsFromA)
        {
            return;
        }
        final int at = (int)(mbuf - base);
        frame.wrap(memory.getLong(at + MbufFlyweight.BUF_ADDR_OFFSET) + (memory.getShort(at + MbufFlyweight.DATA_OFF_OFFSET) & 0xFFFF),
            EthernetFlyweight.HEADER_LENGTH);
        if (0 == portId)
        {
            destinationsFromA.add(EthernetFlyweight.readMac(frame, EthernetFlyweight.DESTINATION_OFFSET));
        }
        else
        {
            sourcesFromB.add(EthernetFlyweight.readMac(frame, EthernetFlyweight.SOURCE_OFFSET));
        }
    }

    public void free(final long mbuf)
    {
        final long offset = mbuf - base;
        if (offset < 0 || offset % MBUF_SIZE != 0 || offset / MBUF_SIZE >= mbufCount || freeCount == mbufCount)
        {
            throw new IllegalStateException("free of a foreign mbuf or one too many: " + Long.toHexString(mbuf));
        }
        freeStack[freeCount++] = (int)(offset / MBUF_SIZE);
    }

    public void freeBulk(final long mbufArray, final int count)
    {
        bulk.wrap(mbufArray, count * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            free(bulk.getLong(i * Long.BYTES));
        }
    }

    public void refcntUpdate(final long mbuf, final int delta)
    {
        throw new UnsupportedOperationException("the generator never shares an mbuf");
    }

    public void onThreadStart(final int cpu)
    {
    }

    public void onThreadStop()
    {
    }

    public void close()
    {
        arena.close();
    }
}
