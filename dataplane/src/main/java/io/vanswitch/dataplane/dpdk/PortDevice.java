package io.vanswitch.dataplane.dpdk;

/**
 * The device behind a switch port, whichever kind: a DPDK ethdev ({@link DpdkPort}) or the shim's
 * packet-socket port ({@link PacketSocketPort}); the control plane's port drivers return it (tests
 * of the control logic alone supply their own). Control thread only.
 */
public interface PortDevice extends AutoCloseable
{
    /** The id the packet path's rx and tx bursts take. */
    int portId();

    /** Rx queues to poll, from 0. */
    default int rxQueues()
    {
        return 1;
    }

    boolean isLinkUp();

    /** The device's MAC, or -1. */
    default long macAddress()
    {
        return -1;
    }

    /** Frames the device dropped before the switch saw them. */
    long rxMissed();

    /** @return 0, or a negative errno when the device keeps its own MAC. */
    default int setMacAddress(final long mac)
    {
        return -95;
    }

    /** @return 0, or a negative errno when the device keeps its own MTU. */
    default int setMtu(final int mtu)
    {
        return 0;
    }

    void close();
}
