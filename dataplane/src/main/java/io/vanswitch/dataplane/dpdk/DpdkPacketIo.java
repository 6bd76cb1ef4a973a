package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.DpdkShim;
import io.vanswitch.bindings.dpdk.Dpdk;
import io.vanswitch.dataplane.pipeline.PacketIo;

/**
 * The real device layer: ethdev bursts and mbuf management through the C shim.
 */
public final class DpdkPacketIo implements PacketIo
{
    private final long pool;

    /**
     * @param pool the mempool frames the switch originates are allocated from.
     */
    public DpdkPacketIo(final MbufPool pool)
    {
        this.pool = pool.address();
    }

    public long copy(final long mbuf)
    {
        return DpdkShim.pktmbufCopy(mbuf, pool);
    }

    public long alloc()
    {
        return DpdkShim.pktmbufAlloc(pool);
    }

    public int allocBulk(final long mbufArray, final int count)
    {
        return DpdkShim.pktmbufAllocBulk(pool, mbufArray, count);
    }

    public int rxBurst(final int portId, final int queueId, final long mbufArray, final int max)
    {
        return DpdkShim.rxBurst(portId, queueId, mbufArray, max);
    }

    public int txBurst(final int portId, final int queueId, final long mbufArray, final int count)
    {
        return DpdkShim.txBurst(portId, queueId, mbufArray, count);
    }

    public int softOffload(final long mbuf, final long mbufArray, final int max)
    {
        return DpdkShim.softOffload(mbuf, pool, mbufArray, max);
    }

    public void free(final long mbuf)
    {
        DpdkShim.pktmbufFree(mbuf);
    }

    public void freeBulk(final long mbufArray, final int count)
    {
        DpdkShim.pktmbufFreeBulk(mbufArray, count);
    }

    public void refcntUpdate(final long mbuf, final int delta)
    {
        DpdkShim.mbufRefcntUpdate(mbuf, delta);
    }

    public void onThreadStart(final int cpu)
    {
        // a registered thread gets an lcore id, so mempool per-lcore caches work for it
        if (Dpdk.rte_thread_register() != 0)
        {
            throw new DpdkException("rte_thread_register failed: " + Eal.lastError());
        }
        if (cpu >= 0)
        {
            final int rc = DpdkShim.pinCurrentThread(cpu);
            if (rc != 0)
            {
                throw new DpdkException("cannot pin PMD thread to CPU " + cpu + ": errno " + rc);
            }
        }
    }

    public void onThreadStop()
    {
        Dpdk.rte_thread_unregister();
    }
}
