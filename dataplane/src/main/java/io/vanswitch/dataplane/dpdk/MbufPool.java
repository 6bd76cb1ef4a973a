package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.dpdk.Dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The packet buffer pool every port receives into.
 */
public final class MbufPool
{
    /** RTE_MBUF_DEFAULT_BUF_SIZE: 2048 bytes of data room plus RTE_PKTMBUF_HEADROOM (128). */
    public static final int DEFAULT_DATA_ROOM = 2048 + 128;
    private static final int CACHE_SIZE = 256;

    private final MemorySegment pool;
    private final String name;

    private MbufPool(final String name, final MemorySegment pool)
    {
        this.name = name;
        this.pool = pool;
    }

    public static MbufPool create(final String name, final int mbufs, final int dataRoom)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment pool = Dpdk.rte_pktmbuf_pool_create(
                arena.allocateFrom(name), mbufs, Math.min(CACHE_SIZE, mbufs / 8), (short)0, (short)dataRoom, Eal.socketId());
            if (MemorySegment.NULL.equals(pool))
            {
                throw new DpdkException("rte_pktmbuf_pool_create " + name + " (" + mbufs + " mbufs of " + dataRoom +
                    " bytes) failed: " + Eal.lastError() + ": give the daemon more memory (--mem) or fewer mbufs (--mbufs)");
            }
            return new MbufPool(name, pool);
        }
    }

    public MemorySegment segment()
    {
        return pool;
    }

    public long address()
    {
        return pool.address();
    }

    public String name()
    {
        return name;
    }

    public int available()
    {
        return Dpdk.rte_mempool_avail_count(pool);
    }

    public int inUse()
    {
        return Dpdk.rte_mempool_in_use_count(pool);
    }
}
