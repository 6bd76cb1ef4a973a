package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.pmd.DropReason;
import io.vanswitch.dataplane.pmd.PmdCounters;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Last stage (compare VPP's l2-output / interface-output): per egress port, a native array of up
 * to {@link Burst#MAX} mbufs collected from a burst, sent with one tx_burst per port. What a queue
 * does not take is freed and counted, so a slow or absent peer never holds mbufs.
 */
public final class TxQueues
{
    private final PacketIo io;
    private final PmdCounters counters;
    private final int txQueueId;
    private final UnsafeBuffer pending;
    private final long pendingAddress;
    private final int[] pendingCount = new int[PmdCounters.MAX_PORTS];
    private final long[] pendingBytes = new long[PmdCounters.MAX_PORTS];
    private final int[] dirtySlots = new int[PmdCounters.MAX_PORTS];
    private final int[] dpdkPortIds = new int[PmdCounters.MAX_PORTS];
    private final MbufFlyweight mbuf = new MbufFlyweight();
    private int dirtyCount;

    public TxQueues(final PacketIo io, final PmdCounters counters, final int txQueueId)
    {
        this.io = io;
        this.counters = counters;
        this.txQueueId = txQueueId;
        this.pending = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PmdCounters.MAX_PORTS * Burst.MAX * Long.BYTES, 64));
        this.pendingAddress = pending.addressOffset();
    }

    public void enqueue(final PortBinding egress, final long mbufAddress, final int length)
    {
        final int slot = egress.slot();
        int count = pendingCount[slot];
        if (count == Burst.MAX)
        {
            // full: send now; the slot stays registered as dirty, so it is not registered twice
            flush(slot);
            count = 0;
        }
        else if (count == 0)
        {
            dirtySlots[dirtyCount++] = slot;
            dpdkPortIds[slot] = egress.dpdkPortId();
        }
        pending.putLong((slot * Burst.MAX + count) * Long.BYTES, mbufAddress);
        pendingCount[slot] = count + 1;
        pendingBytes[slot] += length;
    }

    /** Sends everything collected since the last flush. */
    public void flushAll()
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            final int slot = dirtySlots[i];
            if (pendingCount[slot] > 0)
            {
                flush(slot);
            }
        }
        dirtyCount = 0;
    }

    private void flush(final int slot)
    {
        final int count = pendingCount[slot];
        final long arrayAddress = pendingAddress + (long)slot * Burst.MAX * Long.BYTES;
        final int sent = io.txBurst(dpdkPortIds[slot], txQueueId, arrayAddress, count);
        long bytes = pendingBytes[slot];
        if (sent < count)
        {
            for (int i = sent; i < count; i++)
            {
                bytes -= mbuf.wrap(pending.getLong((slot * Burst.MAX + i) * Long.BYTES)).pktLen();
            }
            io.freeBulk(arrayAddress + (long)sent * Long.BYTES, count - sent);
            counters.addPortDrop(slot, DropReason.TX_FAILED, count - sent);
        }
        counters.addPort(slot, PmdCounters.PORT_TX_PACKETS, sent);
        counters.addPort(slot, PmdCounters.PORT_TX_BYTES, bytes);
        counters.addPmd(PmdCounters.PMD_TX_PACKETS, sent);
        pendingCount[slot] = 0;
        pendingBytes[slot] = 0;
    }
}
