package io.vanswitch.perf.loadgen;

import io.vanswitch.dataplane.pipeline.PacketIo;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Frames built for one port and not yet taken by its driver, in a native pointer array of one burst.
 * Frames a full ring refused stay, keeping their timestamps, and go first on the next flush: the
 * time a frame waits for the switch to make room counts as the switch's latency, as it would for a
 * VM whose ring is full.
 */
final class TxBurst
{
    private final PacketIo io;
    private final int portId;
    private final long address;
    private final UnsafeBuffer pointers;
    private int pending;

    /**
     * @param address of a native array of {@link Pacer#MAX_BURST} mbuf pointers, owned by the caller.
     */
    TxBurst(final PacketIo io, final int portId, final long address)
    {
        this.io = io;
        this.portId = portId;
        this.address = address;
        this.pointers = new UnsafeBuffer(address, Pacer.MAX_BURST * Long.BYTES);
    }

    int pending()
    {
        return pending;
    }

    /** Free slots: how many frames may be added. */
    int room()
    {
        return Pacer.MAX_BURST - pending;
    }

    /**
     * Allocates {@code count} mbufs into the free slots in one call, all or none; they are pending
     * from now on, so build their frames before the next {@link #flush}.
     *
     * @return the slot of the first, or -1 when the pool had fewer.
     */
    int allocate(final int count)
    {
        if (io.allocBulk(address + (long)pending * Long.BYTES, count) != 0)
        {
            return -1;
        }
        final int first = pending;
        pending += count;
        return first;
    }

    long mbuf(final int slot)
    {
        return pointers.getLong(slot * Long.BYTES);
    }

    /**
     * Hands the pending frames to the driver.
     *
     * @return how many it took; the rest move to the front and stay pending.
     */
    int flush()
    {
        if (0 == pending)
        {
            return 0;
        }
        final int taken = io.txBurst(portId, 0, address, pending);
        if (taken > 0 && taken < pending)
        {
            for (int i = taken; i < pending; i++)
            {
                pointers.putLong((i - taken) * Long.BYTES, pointers.getLong(i * Long.BYTES));
            }
        }
        pending -= taken;
        return taken;
    }

    /**
     * Frees the pending frames: the end of a window, whose frames must not leak into the next.
     *
     * @return how many were freed.
     */
    int discard()
    {
        final int discarded = pending;
        if (discarded > 0)
        {
            io.freeBulk(address, discarded);
            pending = 0;
        }
        return discarded;
    }
}
