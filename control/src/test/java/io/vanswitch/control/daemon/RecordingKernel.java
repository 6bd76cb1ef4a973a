package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.dpdk.PortDevice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records what is asked of the kernel; refuses every tc command while {@code refuse} is set. */
final class RecordingKernel implements KernelFastPath.Kernel
{
    final List<String> log = new ArrayList<>();
    final Map<String, Map<Integer, long[]>> stats = new HashMap<>();
    String refuse;

    public void reset(final String device)
    {
        log.add("reset " + device);
        if (null != refuse)
        {
            throw new IllegalStateException(refuse);
        }
    }

    public void release(final String device)
    {
        log.add("release " + device);
    }

    public void apply(final List<String> batch)
    {
        if (null != refuse)
        {
            log.add("refused");
            throw new IllegalStateException(refuse);
        }
        batch.forEach(line -> log.add("apply " + line));
    }

    public int bypass(final String device, final PortDevice port, final long[] pairs, final int count)
    {
        final StringBuilder line = new StringBuilder("bypass ").append(device).append(' ');
        for (int i = 0; i < count; i++)
        {
            line.append(i == 0 ? "" : ",").append(pairs[2 * i]).append('>').append(pairs[2 * i + 1]);
        }
        log.add(line.toString());
        return 0;
    }

    public Map<Integer, long[]> ruleStats(final String device)
    {
        return stats.getOrDefault(device, Map.of());
    }
}
