package io.vanswitch.dataplane.testing;

import io.vanswitch.bindings.DpdkShim;
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
 * fixture can sit under an allocation test. Each port has {@link #MAX_QUEUES} rx queues;
 * {@link #receive(int, byte[])} uses queue 0.
 * <p>
 * {@link #alloc()} and {@link #copy(long)} take mbufs from the same pool, as the switch's own
 * frames (signals) and flood copies do from the real mempool; either can be made to fail.
 */
public final class FakePacketIo implements PacketIo, AutoCloseable
{
    public static final int MAX_PORT_IDS = 64;
    /** Packet-socket port ids the fake serves, from DpdkShim.PACKET_SOCKET_PORT_BASE. */
    public static final int MAX_PACKET_SOCKET_PORTS = 8;
    private static final int PORT_INDEXES = MAX_PORT_IDS + MAX_PACKET_SOCKET_PORTS;
    public static final int MAX_QUEUES = 8;
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

    /** Indexed by portId * MAX_QUEUES + queueId. */
    private final long[][] rxRings = new long[PORT_INDEXES * MAX_QUEUES][];
    private final long[] rxHead = new long[PORT_INDEXES * MAX_QUEUES];
    private final long[] rxTail = new long[PORT_INDEXES * MAX_QUEUES];

    private final int[] txAcceptPerCall = new int[PORT_INDEXES];
    private final long[] txAccepted = new long[PORT_INDEXES];
    private final long[] txRejected = new long[PORT_INDEXES];
    private final int[] lastTxQueue = new int[PORT_INDEXES];
    private final List<SentFrame> sent = new ArrayList<>();
    private boolean recordTx = true;
    private boolean failAlloc;
    private boolean failCopy;
    private int copies;
    private int softOffloads;
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
     * Allocates an mbuf holding a copy of {@code frame} and queues it on {@code portId}'s rx queue 0.
     *
     * @return the mbuf's address.
     */
    public long receive(final int portId, final byte[] frame)
    {
        return receive(portId, 0, frame);
    }

    /**
     * Allocates an mbuf holding a copy of {@code frame} and queues it on one rx queue of a port.
     *
     * @return the mbuf's address.
     */
    public long receive(final int portId, final int queueId, final byte[] frame)
    {
        final int queue = queueIndex(portId, queueId);
        final long mbuf = allocate(portId, frame, HEADROOM);
        long[] ring = rxRings[queue];
        if (null == ring)
        {
            ring = new long[RX_RING_CAPACITY];
            rxRings[queue] = ring;
        }
        if (rxTail[queue] - rxHead[queue] == RX_RING_CAPACITY)
        {
            throw new IllegalStateException("rx queue " + queueId + " of port " + portId + " is full");
        }
        ring[(int)(rxTail[queue]++ & RX_RING_MASK)] = mbuf;
        return mbuf;
    }

    /**
     * Allocates an mbuf holding a copy of {@code frame} after {@code headroom} bytes of headroom,
     * queued nowhere: for tests that hand an mbuf to a stage directly. Free it (or let the code under
     * test free it) like any other.
     */
    public long allocate(final byte[] frame, final int headroom)
    {
        if (headroom < 0 || headroom + frame.length > BUF_LEN)
        {
            throw new IllegalArgumentException("headroom " + headroom + " and " + frame.length + " bytes do not fit one mbuf");
        }
        return allocate(0, frame, headroom);
    }

    /** Creates rx queue 0 of a port ahead of time, so a later {@link #receive} does not allocate. */
    public void createRxQueue(final int portId)
    {
        final int queue = queueIndex(portId, 0);
        if (null == rxRings[queue])
        {
            rxRings[queue] = new long[RX_RING_CAPACITY];
        }
    }

    /** Frames queued on a port's rx queues that the switch has not polled yet. */
    public int pendingRx(final int portId)
    {
        int pending = 0;
        for (int q = 0; q < MAX_QUEUES; q++)
        {
            final int queue = queueIndex(portId, q);
            pending += (int)(rxTail[queue] - rxHead[queue]);
        }
        return pending;
    }

    /** Makes {@link #alloc()} report an empty pool (returns 0) while on. */
    public void failAlloc(final boolean fail)
    {
        this.failAlloc = fail;
    }

    /** Makes {@link #copy(long)} report an empty pool (returns 0) while on. */
    public void failCopy(final boolean fail)
    {
        this.failCopy = fail;
    }

    /** Successful {@link #copy(long)} calls so far. */
    public int copies()
    {
        return copies;
    }

    /** The packet data of an mbuf (its first segment), as a transmitted frame is recorded. */
    public byte[] data(final long mbuf)
    {
        return copyFrame(mbuf);
    }

    /** Makes every later txBurst on the port take at most {@code frames} mbufs (a full or stuck queue). */
    public void acceptTxPerCall(final int portId, final int frames)
    {
        txAcceptPerCall[index(portId)] = frames;
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
        return txAccepted[index(portId)];
    }

    /** Frames the port's tx queue refused (handed back to the caller). */
    public long txRejected(final int portId)
    {
        return txRejected[index(portId)];
    }

    /** The tx queue id of the last txBurst on the port, or -1. */
    public int lastTxQueue(final int portId)
    {
        return lastTxQueue[index(portId)];
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
        final int queue = queueIndex(portId, queueId);
        final long[] ring = rxRings[queue];
        if (null == ring)
        {
            return 0;
        }
        final int count = (int)Math.min(max, rxTail[queue] - rxHead[queue]);
        pointers.wrap(mbufArray, max * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            pointers.putLong(i * Long.BYTES, ring[(int)(rxHead[queue]++ & RX_RING_MASK)]);
        }
        return count;
    }

    public int txBurst(final int portId, final int queueId, final long mbufArray, final int count)
    {
        final int accepted = Math.min(count, txAcceptPerCall[index(portId)]);
        lastTxQueue[index(portId)] = queueId;
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
        txAccepted[index(portId)] += accepted;
        txRejected[index(portId)] += count - accepted;
        return accepted;
    }

    public void free(final long mbuf)
    {
        release(mbuf);
    }

    /** An empty mbuf with the default headroom, port 0; 0 when the pool is empty or failing. */
    public long alloc()
    {
        if (failAlloc || freeCount == 0)
        {
            return 0;
        }
        return allocate(0, new byte[0], HEADROOM);
    }

    /**
     * A deep copy: a new mbuf with the same data, headroom (data_off), lengths and port, its own
     * reference; 0 when the pool is empty or failing.
     */
    public long copy(final long mbuf)
    {
        final int offset = offsetOf(mbuf);
        if (refcnt(mbuf) == 0)
        {
            throw new IllegalStateException("copy of free mbuf " + indexOf(mbuf));
        }
        if (failCopy || freeCount == 0)
        {
            return 0;
        }
        final int dataOff = memory.getShort(offset + MbufFlyweight.DATA_OFF_OFFSET) & 0xFFFF;
        final int dataLen = memory.getShort(offset + MbufFlyweight.DATA_LEN_OFFSET) & 0xFFFF;
        final long bufAddr = memory.getLong(offset + MbufFlyweight.BUF_ADDR_OFFSET);
        final int portId = memory.getShort(offset + MbufFlyweight.PORT_OFFSET) & 0xFFFF;
        copies++;
        // memory to memory, as rte_pktmbuf_copy: the duty cycle's copies allocate nothing here either
        final long copy = allocate(portId, dataLen, dataOff);
        memory.putBytes(offsetOf(copy) + HEADER_ROOM + dataOff, memory, Math.toIntExact(bufAddr + dataOff - base), dataLen);
        return copy;
    }

    /**
     * Stands in for vs_soft_offload: a frame with offload requests (MbufFlyweight.SOFTWARE_OFFLOAD_FLAGS)
     * becomes two "segments", itself and a copy, both without requests; any other frame is itself.
     */
    public int softOffload(final long mbuf, final long mbufArray, final int max)
    {
        pointers.wrap(mbufArray, max * Long.BYTES);
        final int offset = offsetOf(mbuf);
        if ((memory.getLong(offset + MbufFlyweight.OL_FLAGS_OFFSET) & MbufFlyweight.SOFTWARE_OFFLOAD_FLAGS) == 0)
        {
            pointers.putLong(0, mbuf);
            return 1;
        }
        softOffloads++;
        memory.putLong(offset + MbufFlyweight.OL_FLAGS_OFFSET, 0);
        final long second = copy(mbuf);
        if (0 == second)
        {
            release(mbuf);
            return -105;
        }
        pointers.wrap(mbufArray, max * Long.BYTES);
        pointers.putLong(0, mbuf);
        pointers.putLong(Long.BYTES, second);
        return 2;
    }

    /** Frames whose offload requests were done in software (each made two). */
    public int softOffloads()
    {
        return softOffloads;
    }

    /** Gives a frame the checksum and segmentation requests a packet-socket port's frame may carry. */
    public void requestOffloads(final long mbuf)
    {
        memory.putLong(offsetOf(mbuf) + MbufFlyweight.OL_FLAGS_OFFSET, MbufFlyweight.SOFTWARE_OFFLOAD_FLAGS);
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

    private static int queueIndex(final int portId, final int queueId)
    {
        if (queueId < 0 || queueId >= MAX_QUEUES)
        {
            throw new IllegalArgumentException("rx queue " + queueId + " out of range");
        }
        return index(portId) * MAX_QUEUES + queueId;
    }

    /**
     * Where a port id's state is kept: ethdev ids as they are, packet-socket port ids (from
     * DpdkShim.PACKET_SOCKET_PORT_BASE) after them.
     */
    private static int index(final int portId)
    {
        final boolean packetSocket = portId >= DpdkShim.PACKET_SOCKET_PORT_BASE;
        final int index = packetSocket ? MAX_PORT_IDS + portId - DpdkShim.PACKET_SOCKET_PORT_BASE : portId;
        if (index >= (packetSocket ? PORT_INDEXES : MAX_PORT_IDS))
        {
            throw new IllegalArgumentException("port id " + portId + " out of the fake's range");
        }
        return index;
    }

    private long allocate(final int portId, final byte[] frame, final int headroom)
    {
        final long mbuf = allocate(portId, frame.length, headroom);
        memory.putBytes(offsetOf(mbuf) + HEADER_ROOM + headroom, frame);
        return mbuf;
    }

    private long allocate(final int portId, final int length, final int headroom)
    {
        if (headroom + length > BUF_LEN)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes does not fit one mbuf");
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
        memory.putShort(offset + MbufFlyweight.DATA_OFF_OFFSET, (short)headroom);
        memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET, (short)1);
        memory.putShort(offset + MbufFlyweight.NB_SEGS_OFFSET, (short)1);
        memory.putShort(offset + MbufFlyweight.PORT_OFFSET, (short)portId);
        memory.putInt(offset + MbufFlyweight.PKT_LEN_OFFSET, length);
        memory.putShort(offset + MbufFlyweight.DATA_LEN_OFFSET, (short)length);
        memory.putShort(offset + MbufFlyweight.BUF_LEN_OFFSET, (short)BUF_LEN);
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
