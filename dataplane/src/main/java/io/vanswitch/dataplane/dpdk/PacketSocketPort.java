package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.DpdkShim;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A kernel interface (the switch's side of a veth pair) as a switch port through the shim's own
 * AF_PACKET sockets with a vnet header (vs_packet_port.c): TCP segments of up to 64 KiB cross the
 * switch whole, with their checksums left undone, as they cross a Linux bridge; where they leave by
 * a port that cannot take that, the switch segments and checksums them (OutputStage). DPDK's
 * net_af_packet drops the kernel's offload state, so its endpoints must do both in software before
 * the switch sees a frame.
 * <p>
 * One rx ring, polled by the port's PMD thread; one tx socket per PMD thread. Its port id is above
 * every ethdev's, so the packet path reaches it with the same rx and tx burst calls. Control thread only.
 */
public final class PacketSocketPort implements PortDevice
{
    /** VS_PKT_MAX_TXQ: tx sockets, one per PMD thread. */
    public static final int MAX_TX_QUEUES = 16;

    /** VS_PKT_MAX_BYPASS: flows a port's rx filter can keep from the switch. */
    public static final int MAX_BYPASS_PAIRS = 256;

    private final int portId;
    private boolean closed;

    private PacketSocketPort(final int portId)
    {
        this.portId = portId;
    }

    /**
     * @param txQueues one per PMD thread.
     * @throws DpdkException with an operator-readable reason; nothing is left behind.
     */
    public static PacketSocketPort open(final String interfaceName, final int txQueues, final MbufPool pool)
    {
        if (txQueues > MAX_TX_QUEUES)
        {
            throw new DpdkException("a veth port serves at most " + MAX_TX_QUEUES + " PMD threads, not " + txQueues);
        }
        final int rc;
        try (Arena arena = Arena.ofConfined())
        {
            rc = DpdkShim.packetPortOpen(arena.allocateFrom(interfaceName).address(), txQueues, pool.address());
        }
        if (rc < 0)
        {
            throw new DpdkException("cannot open packet socket on interface " + interfaceName + ": " + Eal.strerror(rc) +
                (rc == -1 ? " (root or CAP_NET_RAW is needed)" : ""));
        }
        return new PacketSocketPort(rc);
    }

    public int portId()
    {
        return portId;
    }

    public boolean isLinkUp()
    {
        return DpdkShim.packetPortLinkUp(portId);
    }

    /** The interface's MAC, or -1. */
    public long macAddress()
    {
        return DpdkShim.packetPortMac(portId);
    }

    /** Frames lost before the switch saw them: ring full, truncated, no mbuf, an offload it cannot carry. */
    public long rxMissed()
    {
        return DpdkShim.packetPortRxMissed(portId);
    }

    /**
     * Keeps the given flows from the switch: the kernel forwards them (the control plane's kernel fast
     * path). A filter on the rx socket refuses them before any copy.
     *
     * @param pairs {@code count} pairs of (source, destination) MACs.
     * @return 0, or a negative errno (-7, E2BIG, above {@link #MAX_BYPASS_PAIRS}).
     */
    public int bypass(final long[] pairs, final int count)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(Math.max(1, count * 2) * 8L, 8);
            MemorySegment.copy(pairs, 0, segment, ValueLayout.JAVA_LONG, 0, count * 2);
            return DpdkShim.packetPortSetBypass(portId, segment.address(), count);
        }
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            DpdkShim.packetPortClose(portId);
        }
    }
}
