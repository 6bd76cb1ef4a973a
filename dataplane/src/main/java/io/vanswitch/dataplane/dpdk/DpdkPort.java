package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.dpdk.Dpdk;
import io.vanswitch.bindings.dpdk.rte_eth_conf;
import io.vanswitch.bindings.dpdk.rte_eth_dev_info;
import io.vanswitch.bindings.dpdk.rte_eth_link;
import io.vanswitch.bindings.dpdk.rte_eth_stats;
import io.vanswitch.bindings.dpdk.rte_ether_addr;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One DPDK ethdev created at run time from devargs (vhost-user, TAP, or any PMD), configured with
 * one rx queue and one tx queue per PMD thread (so PMDs never share a tx queue), and started.
 * Control thread only: creation, link state and teardown never run on a PMD thread.
 */
public final class DpdkPort implements PortDevice
{
    /** Bit of the 16-bit word after link_speed holding link_status (jextract skips bitfields). */
    static final int LINK_STATUS_BIT = 1 << 2;
    static final long LINK_FLAGS_OFFSET = 4;
    private static final short RX_DESCRIPTORS = 1024;
    private static final short TX_DESCRIPTORS = 1024;

    private final String deviceName;
    private final int portId;
    private final MemorySegment device;
    private final int txQueues;
    private int rxQueues = 1;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment link = rte_eth_link.allocate(arena);
    private final MemorySegment stats = rte_eth_stats.allocate(arena);
    private boolean closed;

    private DpdkPort(final String deviceName, final int portId, final MemorySegment device, final int txQueues)
    {
        this.deviceName = deviceName;
        this.portId = portId;
        this.device = device;
        this.txQueues = txQueues;
    }

    /**
     * Probes the device described by {@code devargs} (its first comma-separated token is the device
     * name), configures and starts it.
     *
     * @throws DpdkException with an operator-readable reason; nothing is left behind.
     */
    public static DpdkPort open(final String devargs, final int txQueues, final MbufPool pool)
    {
        final String deviceName = devargs.split(",", 2)[0];
        try (Arena arena = Arena.ofConfined())
        {
            final int probe = Dpdk.rte_dev_probe(arena.allocateFrom(devargs));
            if (probe < 0)
            {
                throw new DpdkException("cannot create device '" + devargs + "': " + Eal.strerror(probe) +
                    " (check the devargs, that the name is unused and that the driver is installed)");
            }
            final MemorySegment portIdOut = arena.allocate(ValueLayout.JAVA_SHORT);
            if (Dpdk.rte_eth_dev_get_port_by_name(arena.allocateFrom(deviceName), portIdOut) != 0)
            {
                throw new DpdkException("device '" + deviceName + "' was created but is not an ethdev");
            }
            final int portId = portIdOut.get(ValueLayout.JAVA_SHORT, 0) & 0xFFFF;

            final MemorySegment info = rte_eth_dev_info.allocate(arena);
            int rc = Dpdk.rte_eth_dev_info_get((short)portId, info);
            final MemorySegment device = rte_eth_dev_info.device(info);
            final DpdkPort port = new DpdkPort(deviceName, portId, device, txQueues);
            try
            {
                check(rc, "rte_eth_dev_info_get", deviceName);
                final int maxTx = rte_eth_dev_info.max_tx_queues(info) & 0xFFFF;
                if (maxTx < txQueues)
                {
                    throw new DpdkException("device '" + deviceName + "' supports " + maxTx + " tx queues, the switch needs " +
                        txQueues + " (one per PMD thread): for vhost-user give the peer more queues, for net_af_packet " +
                        "qpairs=" + txQueues + ", or use fewer PMD cores");
                }
                final MemorySegment conf = rte_eth_conf.allocate(arena);
                port.rxQueues = rxQueuesCarryingFrames(info);
                rc = Dpdk.rte_eth_dev_configure((short)portId, (short)port.rxQueues, (short)txQueues, conf);
                if (rc < 0 && port.rxQueues == 1 && txQueues > 1)
                {
                    // some drivers (TAP) insist on as many rx as tx queues; then all of them are polled
                    rc = Dpdk.rte_eth_dev_configure((short)portId, (short)txQueues, (short)txQueues, conf);
                    port.rxQueues = txQueues;
                }
                check(rc, "rte_eth_dev_configure", deviceName);
                final int socket = Math.max(0, Dpdk.rte_eth_dev_socket_id((short)portId));
                for (int q = 0; q < port.rxQueues; q++)
                {
                    rc = Dpdk.rte_eth_rx_queue_setup((short)portId, (short)q, RX_DESCRIPTORS, socket, MemorySegment.NULL, pool.segment());
                    check(rc, "rte_eth_rx_queue_setup", deviceName);
                }
                for (int q = 0; q < txQueues; q++)
                {
                    rc = Dpdk.rte_eth_tx_queue_setup((short)portId, (short)q, TX_DESCRIPTORS, socket, MemorySegment.NULL);
                    check(rc, "rte_eth_tx_queue_setup", deviceName);
                }
                // a switch port must see every frame; some PMDs have no filter to switch off, so ignore failure
                Dpdk.rte_eth_promiscuous_enable((short)portId);
                rc = Dpdk.rte_eth_dev_start((short)portId);
                check(rc, "rte_eth_dev_start", deviceName);
                return port;
            }
            catch (final RuntimeException ex)
            {
                port.close();
                throw ex;
            }
        }
    }

    private static void check(final int rc, final String call, final String deviceName)
    {
        if (rc < 0)
        {
            throw new DpdkException(call + " on '" + deviceName + "' failed: " + Eal.strerror(rc));
        }
    }

    public int portId()
    {
        return portId;
    }

    public String deviceName()
    {
        return deviceName;
    }

    public int txQueues()
    {
        return txQueues;
    }

    /**
     * The rx queues to set up and poll: every queue of a device whose queues all carry frames, else
     * one. A vhost-user guest sends on every queue pair it enables (net_vhost has the queues of its
     * devargs, one per PMD thread), and net_af_packet opens a socket per queue pair over which the
     * kernel fans out what it receives (PACKET_FANOUT); other drivers receive only on the queues that
     * are set up.
     */
    private static int rxQueuesCarryingFrames(final MemorySegment info)
    {
        final MemorySegment driver = rte_eth_dev_info.driver_name(info);
        if (MemorySegment.NULL.equals(driver))
        {
            return 1;
        }
        return switch (driver.reinterpret(64).getString(0))
        {
            case "net_vhost", "net_af_packet" -> Math.max(1, rte_eth_dev_info.max_rx_queues(info) & 0xFFFF);
            default -> 1;
        };
    }

    /** Rx queues configured: all are polled by the port's PMD thread. */
    public int rxQueues()
    {
        return rxQueues;
    }

    /**
     * @return 0, or the negative errno of rte_eth_dev_set_mtu (some PMDs, af_packet among them,
     * follow the kernel interface's MTU and refuse).
     */
    public int setMtu(final int mtu)
    {
        return Dpdk.rte_eth_dev_set_mtu((short)portId, (short)mtu);
    }

    /** @return 0, or the negative errno of rte_eth_dev_default_mac_addr_set. */
    public int setMacAddress(final long mac)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = rte_ether_addr.allocate(arena);
            EthernetFlyweight.writeMac(new UnsafeBuffer(address.address(), 6), 0, mac);
            return Dpdk.rte_eth_dev_default_mac_addr_set((short)portId, address);
        }
    }

    public boolean isLinkUp()
    {
        if (Dpdk.rte_eth_link_get_nowait((short)portId, link) != 0)
        {
            return false;
        }
        return (link.get(ValueLayout.JAVA_SHORT, LINK_FLAGS_OFFSET) & LINK_STATUS_BIT) != 0;
    }

    public long macAddress()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mac = rte_ether_addr.allocate(arena);
            if (Dpdk.rte_eth_macaddr_get((short)portId, mac) != 0)
            {
                return -1;
            }
            return EthernetFlyweight.readMac(new UnsafeBuffer(mac.address(), 6), 0);
        }
    }

    /** Frames the device itself dropped (rx ring full, no mbufs): counted by the driver, not by us. */
    public long rxMissed()
    {
        if (Dpdk.rte_eth_stats_get((short)portId, stats) != 0)
        {
            return 0;
        }
        return rte_eth_stats.imissed(stats) + rte_eth_stats.rx_nombuf(stats);
    }

    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        Dpdk.rte_eth_dev_stop((short)portId);
        Dpdk.rte_eth_dev_close((short)portId);
        if (!MemorySegment.NULL.equals(device))
        {
            Dpdk.rte_dev_remove(device);
        }
        arena.close();
    }
}
