package io.vanswitch.dataplane.testing;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.pipeline.PacketIo;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory device layer for pure forwarding tests: no EAL, no DPDK library.
 * <p>
 * Mbufs live in one native block, each laid out like a {@code struct rte_mbuf} at the offsets
 * {@link MbufFlyweight} reads (buf_addr, data_off, refcnt, nb_segs, port, pkt_len, data_len,
 * buf_len), followed by headroom and data room, like a DPDK mempool element. The reference count is
 * kept in the mbuf's own refcnt field, so what the switch does to it is what is checked:
 * {@link #refcntUpdate} adds, {@link #free}/{@link #freeBulk} drop one reference, and a transmitted
 * mbuf is freed by the "driver" (as a real PMD does once the frame is on the wire). After every
 * frame has left, {@link #mbufsInUse()} must be 0; a free of an mbuf that holds no reference throws.
 * <p>
 * Rx and tx paths do not allocate unless tx recording is on ({@link #recordTx(boolean)}), so the
 * fixture can sit under an allocation test.
 */
public final class FakePacketIo implements PacketIo, AutoCloseable
{
    public static final int MAX_PORT_IDS = 64;
    /** Room for the rte_mbuf header (two cache lines) and a private area, before the buffer. */
    public static final int HEADER_ROOM = 256;
    /** RTE_PKTMBUF_HEADROOM. */
    public static final int HEADROOM = 128;
    public static final int DATA_ROOM = 2048;
    public static final int BUF_LEN = HEADROOM + DATA_ROOM;
    /** One mempool element: a multiple of 64 so every mbuf is cache-line aligned. */
    public static final int MBUF_SIZE = HEADER_ROOM + BUF_LEN;
    private static final int RX_RING_CAPACITY = 4096;
    private static final int RX_RING_MASK = RX_RING_CAPACITY - 1;

    private final Arena arena = Arena.ofShared();
    private final int mbufCount;
    private final long base;
    private final UnsafeBuffer memory;
    /** Re-pointed at whatever native pointer array the switch hands in (rx, tx, free bulk). */
    private final UnsafeBuffer pointers = new UnsafeBuffer(0, 0);
    private final int[] freeStack;
    private int freeCount;

    private final long[][] rxRings = new long[MAX_PORT_IDS][];
    private final long[] rxHead = new long[MAX_PORT_IDS];
    private final long[] rxTail = new long[MAX_PORT_IDS];

    private final int[] txAcceptPerCall = new int[MAX_PORT_IDS];
    private final long[] txAccepted = new long[MAX_PORT_IDS];
    private final long[] txRejected = new long[MAX_PORT_IDS];
    private final int[] lastTxQueue = new int[MAX_PORT_IDS];
    private final List<SentFrame> sent = new ArrayList<>();
    private boolean recordTx = true;
    private int threadStarts;
    private int threadStops;

    public FakePacketIo(final int mbufCount)
    {
        if (MBUF_SIZE % 64 != 0)
        {
            throw new IllegalStateException("MBUF_SIZE must keep mbufs 64-byte aligned");
        }
        this.mbufCount = mbufCount;
        final MemorySegment block = arena.allocate((long)mbufCount * MBUF_SIZE, 64);
        this.base = block.address();
        this.memory = new UnsafeBuffer(base, Math.toIntExact(block.byteSize()));
        this.freeStack = new int[mbufCount];
        for (int i = mbufCount - 1; i >= 0; i--)
        {
            freeStack[freeCount++] = i;
        }
        Arrays.fill(txAcceptPerCall, Integer.MAX_VALUE);
        Arrays.fill(lastTxQueue, -1);
    }

    // ---- test side: frames in, frames out, leak checks ----

    /**
     * Allocates an mbuf holding a copy of {@code frame} and queues it on {@code portId}'s rx queue.
     *
     * @return the mbuf's address.
     */
    public long receive(final int portId, final byte[] frame)
    {
        final long mbuf = allocate(portId, frame);
        long[] ring = rxRings[portId];
        if (null == ring)
        {
            ring = new long[RX_RING_CAPACITY];
            rxRings[portId] = ring;
        }
        if (rxTail[portId] - rxHead[portId] == RX_RING_CAPACITY)
        {
            throw new IllegalStateException("rx ring of port " + portId + " is full");
        }
        ring[(int)(rxTail[portId]++ & RX_RING_MASK)] = mbuf;
        return mbuf;
    }

    /** Creates the rx queue of a port ahead of time, so a later {@link #receive} does not allocate. */
    public void createRxQueue(final int portId)
    {
        if (null == rxRings[portId])
        {
            rxRings[portId] = new long[RX_RING_CAPACITY];
        }
    }

    /** Frames queued on a port's rx queue that the switch has not polled yet. */
    public int pendingRx(final int portId)
    {
        return (int)(rxTail[portId] - rxHead[portId]);
    }

    /** Makes every later txBurst on the port take at most {@code frames} mbufs (a full or stuck queue). */
    public void acceptTxPerCall(final int portId, final int frames)
    {
        txAcceptPerCall[portId] = frames;
    }

    /** Copy out every transmitted frame (on by default); off, tx only counts, and allocates nothing. */
    public void recordTx(final boolean record)
    {
        this.recordTx = record;
    }

    public List<SentFrame> sent()
    {
        return List.copyOf(sent);
    }

    public List<SentFrame> sentOn(final int portId)
    {
        return sent.stream().filter(f -> f.portId() == portId).toList();
    }

    public void clearSent()
    {
        sent.clear();
    }

    /** Frames the port's tx queue took, whether recorded or not. */
    public long txAccepted(final int portId)
    {
        return txAccepted[portId];
    }

    /** Frames the port's tx queue refused (handed back to the caller). */
    public long txRejected(final int portId)
    {
        return txRejected[portId];
    }

    /** The tx queue id of the last txBurst on the port, or -1. */
    public int lastTxQueue(final int portId)
    {
        return lastTxQueue[portId];
    }

    /** Mbufs still holding at least one reference (rx-queued ones included). */
    public int mbufsInUse()
    {
        return mbufCount - freeCount;
    }

    public int refcnt(final long mbuf)
    {
        return memory.getShort(offsetOf(mbuf) + MbufFlyweight.REFCNT_OFFSET) & 0xFFFF;
    }

    public int threadStarts()
    {
        return threadStarts;
    }

    public int threadStops()
    {
        return threadStops;
    }

    public void close()
    {
        arena.close();
    }

    // ---- PacketIo: the switch's side ----

    public int rxBurst(final int portId, final int queueId, final long mbufArray, final int max)
    {
        final long[] ring = rxRings[portId];
        if (null == ring)
        {
            return 0;
        }
        final int count = (int)Math.min(max, rxTail[portId] - rxHead[portId]);
        pointers.wrap(mbufArray, max * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            pointers.putLong(i * Long.BYTES, ring[(int)(rxHead[portId]++ & RX_RING_MASK)]);
        }
        return count;
    }

    public int txBurst(final int portId, final int queueId, final long mbufArray, final int count)
    {
        final int accepted = Math.min(count, txAcceptPerCall[portId]);
        lastTxQueue[portId] = queueId;
        pointers.wrap(mbufArray, count * Long.BYTES);
        for (int i = 0; i < accepted; i++)
        {
            final long mbuf = pointers.getLong(i * Long.BYTES);
            if (refcnt(mbuf) == 0)
            {
                throw new IllegalStateException("transmit of free mbuf " + indexOf(mbuf) + " on port " + portId);
            }
            if (recordTx)
            {
                sent.add(new SentFrame(portId, queueId, copyFrame(mbuf)));
            }
        }
        for (int i = 0; i < accepted; i++)
        {
            release(pointers.getLong(i * Long.BYTES)); // the driver frees what it sent
        }
        txAccepted[portId] += accepted;
        txRejected[portId] += count - accepted;
        return accepted;
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
        final int refcnt = refcnt(mbuf);
        if (refcnt == 0)
        {
            throw new IllegalStateException("refcnt update on free mbuf " + indexOf(mbuf));
        }
        memory.putShort(offsetOf(mbuf) + MbufFlyweight.REFCNT_OFFSET, (short)(refcnt + delta));
    }

    public void onThreadStart(final int cpu)
    {
        threadStarts++;
    }

    public void onThreadStop()
    {
        threadStops++;
    }

    // ---- mempool ----

    private long allocate(final int portId, final byte[] frame)
    {
        if (frame.length > DATA_ROOM)
        {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes does not fit one mbuf");
        }
        if (freeCount == 0)
        {
            throw new IllegalStateException("fake mempool exhausted: " + mbufCount + " mbufs in use (a leak?)");
        }
        final int index = freeStack[--freeCount];
        final int offset = index * MBUF_SIZE;
        final long mbuf = base + offset;
        memory.setMemory(offset, MbufFlyweight.HEADER_LENGTH, (byte)0);
        memory.putLong(offset + MbufFlyweight.BUF_ADDR_OFFSET, mbuf + HEADER_ROOM);
        memory.putShort(offset + MbufFlyweight.DATA_OFF_OFFSET, (short)HEADROOM);
        memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET, (short)1);
        memory.putShort(offset + MbufFlyweight.NB_SEGS_OFFSET, (short)1);
        memory.putShort(offset + MbufFlyweight.PORT_OFFSET, (short)portId);
        memory.putInt(offset + MbufFlyweight.PKT_LEN_OFFSET, frame.length);
        memory.putShort(offset + MbufFlyweight.DATA_LEN_OFFSET, (short)frame.length);
        memory.putShort(offset + MbufFlyweight.BUF_LEN_OFFSET, (short)BUF_LEN);
        memory.putBytes(offset + HEADER_ROOM + HEADROOM, frame);
        return mbuf;
    }

    private void release(final long mbuf)
    {
        final int offset = offsetOf(mbuf);
        final int refcnt = memory.getShort(offset + MbufFlyweight.REFCNT_OFFSET) & 0xFFFF;
        if (refcnt == 0)
        {
            throw new IllegalStateException("double free of mbuf " + indexOf(mbuf));
        }
        memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET, (short)(refcnt - 1));
        if (refcnt == 1)
        {
            freeStack[freeCount++] = offset / MBUF_SIZE;
        }
    }

    private byte[] copyFrame(final long mbuf)
    {
        final int offset = offsetOf(mbuf);
        final long bufAddr = memory.getLong(offset + MbufFlyweight.BUF_ADDR_OFFSET);
        final int dataOff = memory.getShort(offset + MbufFlyweight.DATA_OFF_OFFSET) & 0xFFFF;
        final int dataLen = memory.getShort(offset + MbufFlyweight.DATA_LEN_OFFSET) & 0xFFFF;
        final byte[] frame = new byte[dataLen];
        memory.getBytes(Math.toIntExact(bufAddr + dataOff - base), frame);
        return frame;
    }

    private int offsetOf(final long mbuf)
    {
        final long offset = mbuf - base;
        if (offset < 0 || offset >= (long)mbufCount * MBUF_SIZE || offset % MBUF_SIZE != 0)
        {
            throw new IllegalStateException("not an mbuf of this pool: 0x" + Long.toHexString(mbuf));
        }
        return (int)offset;
    }

    private int indexOf(final long mbuf)
    {
        return offsetOf(mbuf) / MBUF_SIZE;
    }

    /**
     * A frame as it left the switch: the port and tx queue it was sent on and a copy of its bytes.
     */
    public record SentFrame(int portId, int queueId, byte[] bytes)
    {
        public long destination()
        {
            return Frames.destination(bytes);
        }

        public long source()
        {
            return Frames.source(bytes);
        }
    }
}
