package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;
import io.vanswitch.dataplane.dpdk.DpdkPort;
import io.vanswitch.dataplane.dpdk.MbufPool;

/**
 * Ports as DPDK ethdevs from the port's devargs, receiving into the switch's mbuf pool.
 */
public final class DpdkPortDriver implements PortDriver
{
    private final MbufPool pool;

    public DpdkPortDriver(final MbufPool pool)
    {
        this.pool = pool;
    }

    public OpenPort open(final PortSpec spec, final int txQueues)
    {
        final DpdkPort port = DpdkPort.open(spec.devargs(txQueues), txQueues, pool);
        return new OpenPort()
        {
            public int portId()
            {
                return port.portId();
            }

            public int rxQueues()
            {
                return port.rxQueues();
            }

            public boolean isLinkUp()
            {
                return port.isLinkUp();
            }

            public long rxMissed()
            {
                return port.rxMissed();
            }

            public void close()
            {
                port.close();
            }
        };
    }
}
