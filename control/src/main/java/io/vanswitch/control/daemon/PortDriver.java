package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;
import io.vanswitch.dataplane.dpdk.PortDevice;

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
    PortDevice open(PortSpec spec, int txQueues);

    /**
     * Opens the underlay device from raw devargs.
     *
     * @throws RuntimeException with an operator-readable message when the device cannot be made.
     */
    default PortDevice openUnderlay(final String devargs, final int txQueues)
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
}
