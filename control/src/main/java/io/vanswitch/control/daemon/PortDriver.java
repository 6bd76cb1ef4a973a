package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;

/**
 * Creates the device behind a port. {@code DpdkPortDriver} makes real DPDK ethdevs; tests of the
 * control logic alone may supply another.
 */
public interface PortDriver
{
    /**
     * @param txQueues one per PMD thread.
     * @throws RuntimeException with an operator-readable message when the device cannot be made.
     */
    OpenPort open(PortSpec spec, int txQueues);

    /**
     * Opens the underlay device from raw devargs.
     *
     * @throws RuntimeException with an operator-readable message when the device cannot be made.
     */
    default OpenPort openUnderlay(final String devargs, final int txQueues)
    {
        throw new UnsupportedOperationException("this port driver has no underlay");
    }

    /**
     * Removes what the port made outside the switch (a veth port's pair) when the port is deleted,
     * after its device is closed or if it never opened; a stop leaves it for the restart.
     */
    default void removeOutside(final PortSpec spec)
    {
    }

    interface OpenPort extends AutoCloseable
    {
        int portId();

        /** Rx queues to poll, from 0. */
        default int rxQueues()
        {
            return 1;
        }

        boolean isLinkUp();

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

        /** The device's MAC address, or MacAddress.NONE. */
        default long macAddress()
        {
            return -1;
        }

        /** Frames the device dropped before the switch saw them. */
        long rxMissed();

        void close();
    }
}
