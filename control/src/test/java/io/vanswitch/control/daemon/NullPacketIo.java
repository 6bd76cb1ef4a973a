package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.pipeline.PacketIo;

/**
 * A device layer with no packets: rx bursts are always empty, so real PMD agents run their duty
 * cycle (commands, topology installs) without DPDK.
 */
public final class NullPacketIo implements PacketIo
{
    public int rxBurst(final int portId, final int queueId, final long mbufArray, final int max)
    {
        return 0;
    }

    public int txBurst(final int portId, final int queueId, final long mbufArray, final int count)
    {
        return count;
    }

    public void free(final long mbuf)
    {
    }

    public void freeBulk(final long mbufArray, final int count)
    {
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
}
