package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;
import io.vanswitch.dataplane.dpdk.DpdkException;
import io.vanswitch.dataplane.dpdk.PortDevice;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out port ids without making devices; told to, it fails for a port name the way the DPDK
 * driver does (a {@link DpdkException} carrying DPDK's reason).
 */
public final class FakePortDriver implements PortDriver
{
    private final AtomicInteger nextPortId = new AtomicInteger();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final List<String> open = new CopyOnWriteArrayList<>();

    public void failFor(final String portName, final String message)
    {
        failures.put(portName, message);
    }

    /** Names of the ports whose devices are open now. */
    public List<String> openPorts()
    {
        return List.copyOf(open);
    }

    public PortDevice open(final PortSpec spec, final int txQueues)
    {
        final String failure = failures.get(spec.name());
        if (null != failure)
        {
            throw new DpdkException(failure);
        }
        final int portId = nextPortId.getAndIncrement();
        open.add(spec.name());
        return new PortDevice()
        {
            public int portId()
            {
                return portId;
            }

            public boolean isLinkUp()
            {
                return true;
            }

            public long rxMissed()
            {
                return 0;
            }

            public void close()
            {
                open.remove(spec.name());
            }
        };
    }
}
