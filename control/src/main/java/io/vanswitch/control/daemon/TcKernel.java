package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.dpdk.PacketSocketPort;
import io.vanswitch.dataplane.dpdk.PortDevice;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel fast path's rules through tc(8) (iproute2) and its rx filters through the shim: a
 * clsact qdisc on the switch's side of each veth pair, one u32 filter with a mirred redirect per
 * flow, each at its own priority so it can be deleted alone.
 */
final class TcKernel implements KernelFastPath.Kernel
{
    private static final Pattern FILTER = Pattern.compile("^filter .*\\bpref (\\d+) ");
    private static final Pattern SENT = Pattern.compile("^\\s*Sent (\\d+) bytes (\\d+) pkt");

    public void reset(final String device)
    {
        release(device);
        KernelCommand.run("tc", "qdisc", "add", "dev", device, "clsact");
    }

    public void release(final String device)
    {
        try
        {
            KernelCommand.run("tc", "qdisc", "del", "dev", device, "clsact");
        }
        catch (final IllegalStateException absent)
        {
            // none there (a fresh pair), or the interface is gone with its rules
        }
    }

    public void apply(final List<String> batch)
    {
        KernelCommand.runWithInput(String.join("\n", batch) + "\n", "tc", "-batch", "-");
    }

    public int bypass(final String device, final PortDevice port, final long[] pairs, final int count)
    {
        return port instanceof PacketSocketPort packetPort ? packetPort.bypass(pairs, count) : -95;
    }

    public Map<Integer, long[]> ruleStats(final String device)
    {
        final String output;
        try
        {
            output = KernelCommand.run("tc", "-s", "filter", "show", "dev", device, "ingress");
        }
        catch (final IllegalStateException ex)
        {
            return Map.of();
        }
        return parseStats(output);
    }

    /** tc's statistics per filter priority: each rule's one action reports what it forwarded. */
    static Map<Integer, long[]> parseStats(final String output)
    {
        final Map<Integer, long[]> stats = new HashMap<>();
        int pref = -1;
        for (final String line : output.split("\n"))
        {
            final Matcher filter = FILTER.matcher(line);
            if (filter.find())
            {
                pref = Integer.parseInt(filter.group(1));
                continue;
            }
            final Matcher sent = SENT.matcher(line);
            if (pref >= 0 && sent.find())
            {
                final long[] counts = stats.computeIfAbsent(pref, p -> new long[2]);
                counts[0] += Long.parseLong(sent.group(2));
                counts[1] += Long.parseLong(sent.group(1));
            }
        }
        return stats;
    }
}
