package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.pipeline.PacketIo;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A device layer that only transmits: {@link #alloc()} hands out mbufs from a small native pool
 * (laid out where {@link MbufFlyweight} reads), and {@link #txBurst} copies every frame it is given
 * into {@link #sent()} and frees the mbuf, as a driver would. Rx is always empty. Lets a real PMD
 * agent's {@code transmitOnUnderlay} run without DPDK so a test can read what the control thread sent.
 */
final class RecordingPacketIo implements PacketIo, AutoCloseable
{
    private static final int HEADER_ROOM = 256;
    private static final int HEADROOM = 128;
    private static final int BUF_LEN = HEADROOM + 2048;
    private static final int MBUF_SIZE = HEADER_ROOM + BUF_LEN;

    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<Long> free = new ArrayDeque<>();
    private final UnsafeBuffer memory;
    private final long base;
    private final UnsafeBuffer pointers = new UnsafeBuffer(0, 0);
    private final MbufFlyweight mbuf = new MbufFlyweight();
    private final List<byte[]> sent = new ArrayList<>();
    private final int count;

    RecordingPacketIo(final int count)
    {
        this.count = count;
        final MemorySegment block = arena.allocate((long)count * MBUF_SIZE, 64);
        base = block.address();
        memory = new UnsafeBuffer(base, Math.toIntExact(block.byteSize()));
        for (int i = 0; i < count; i++)
        {
            free.add(base + (long)i * MBUF_SIZE);
        }
    }

    List<byte[]> sent()
    {
        return sent;
    }

    int mbufsInUse()
    {
        return count - free.size();
    }

    public long alloc()
    {
        final Long address = free.poll();
        if (null == address)
        {
            return 0;
        }
        final int offset = (int)(address - base);
        memory.setMemory(offset, MbufFlyweight.HEADER_LENGTH, (byte)0);
        memory.putLong(offset + MbufFlyweight.BUF_ADDR_OFFSET, address + HEADER_ROOM);
        memory.putShort(offset + MbufFlyweight.DATA_OFF_OFFSET, (short)HEADROOM);
        memory.putShort(offset + MbufFlyweight.REFCNT_OFFSET, (short)1);
        memory.putShort(offset + MbufFlyweight.NB_SEGS_OFFSET, (short)1);
        memory.putShort(offset + MbufFlyweight.BUF_LEN_OFFSET, (short)BUF_LEN);
        return address;
    }

    public int rxBurst(final int portId, final int queueId, final long mbufArray, final int max)
    {
        return 0;
    }

    public int txBurst(final int portId, final int queueId, final long mbufArray, final int count)
    {
        pointers.wrap(mbufArray, count * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            final long address = pointers.getLong(i * Long.BYTES);
            mbuf.wrap(address);
            final byte[] frame = new byte[mbuf.dataLen()];
            new UnsafeBuffer(mbuf.dataAddress(), frame.length).getBytes(0, frame);
            sent.add(frame);
            free(address);
        }
        return count;
    }

    public void free(final long mbuf)
    {
        if (free.contains(mbuf))
        {
            throw new IllegalStateException("double free");
        }
        free.push(mbuf);
    }

    public void freeBulk(final long mbufArray, final int count)
    {
        final UnsafeBuffer array = new UnsafeBuffer(mbufArray, Math.max(1, count) * Long.BYTES);
        for (int i = 0; i < count; i++)
        {
            free(array.getLong(i * Long.BYTES));
        }
    }

    public void refcntUpdate(final long mbuf, final int delta)
    {
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
