package io.vanswitch.perf.loadgen;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The generator's command line. Parsing is picocli's; {@link #problem()} checks what picocli cannot
 * (ranges, combinations) and says what to change.
 */
@Command(name = "perf_latency", mixinStandardHelpOptions = true, version = "vanswitch latency generator 0.1", sortOptions = false,
    description = {
        "Latency load generator: a DPDK process with two virtio-user ports, A and B, joined to two vhost-user ports of a " +
            "switch under test. A sends timestamped Ethernet/IPv4/UDP frames to B's MACs; B receives them.",
        "First the maximum rate (unpaced, frames received on B per second), then for each offered load (a percentage of " +
            "that maximum) the one-way latency percentiles and the loss."})
public final class LatencyOptions
{
    /** --loads none: measure the maximum rate only. */
    public static final String NO_LOADS = "none";

    @Option(names = "--socket-a", required = true, paramLabel = "PATH", description = "vhost-user socket of port A (the sender).")
    Path socketA;

    @Option(names = "--socket-b", required = true, paramLabel = "PATH", description = "vhost-user socket of port B (the receiver).")
    Path socketB;

    @Option(names = "--server", description = "Our virtio-user ports are the socket servers (server=1): for switches that " +
        "connect as clients, e.g. Open vSwitch dpdkvhostuserclient ports. Waits until the switch connects to each.")
    boolean server;

    @Option(names = "--core", paramLabel = "CPU", description = "CPU of the one thread that sends and receives (EAL -l; default ${DEFAULT-VALUE}).")
    int core;

    @Option(names = "--file-prefix", description = "EAL file prefix, unique among DPDK processes (default ${DEFAULT-VALUE}).")
    String filePrefix = "vsgen";

    @Option(names = "--mem", paramLabel = "MB", description = "Hugepage memory (default ${DEFAULT-VALUE} MB).")
    int memMb = 256;

    @Option(names = "--frame", paramLabel = "BYTES", description = "Frame length in the mbuf, without FCS, as testpmd counts " +
        "(" + FrameTemplate.MIN_LENGTH + ".." + FrameTemplate.MAX_LENGTH + "; default ${DEFAULT-VALUE}).")
    int frameBytes = 64;

    @Option(names = "--duration", paramLabel = "S", description = "Seconds each measurement window sends (default ${DEFAULT-VALUE}).")
    double durationS = 5;

    @Option(names = "--warmup", paramLabel = "S", description = "Seconds sent before each window and not counted (default ${DEFAULT-VALUE}).")
    double warmupS = 1;

    @Option(names = "--loads", split = ",", paramLabel = "PERCENT",
        description = "Offered loads, percent of the maximum rate (default ${DEFAULT-VALUE}); none: the maximum rate only " +
            "(the scale scenario).")
    List<String> loads = new ArrayList<>(List.of("10", "50", "90"));

    @Option(names = "--max-mpps", paramLabel = "MPPS", description = "The maximum rate the loads are percentages of; " +
        "given, it is not measured (so several switches can be offered the same load).")
    Double maxMpps;

    @Option(names = "--macs", paramLabel = "N", description = "B's MACs: B teaches the switch N source MACs, then A sends to all " +
        "of them in turn (the scale scenario; default ${DEFAULT-VALUE}).")
    long macs = 1;

    @Option(names = "--learn-rate", paramLabel = "FPS", description = "Frames per second B teaches its MACs at (default ${DEFAULT-VALUE}).")
    double learnRate = 100_000;

    @Option(names = "--results", paramLabel = "DIR", description = "Append the figures to DIR/results.tsv (perf/lib.sh's perf_record format).")
    Path results;

    @Option(names = "--scenario", description = "Scenario name in results.tsv (default ${DEFAULT-VALUE}).")
    String scenario = "latency";

    @Option(names = "--switch", description = "Switch under test, as named in results.tsv (default ${DEFAULT-VALUE}).")
    String switchName = "switch";

    @Option(names = "--x", paramLabel = "TEXT", description = "x of the max_mpps (and learn_s) records (default: max; the MAC count for learn_s).")
    String x;

    /** @return null when the options make sense together, else what is wrong. */
    public String problem()
    {
        final int cpus = Runtime.getRuntime().availableProcessors();
        if (core < 0 || core >= cpus)
        {
            return "--core: CPU " + core + " does not exist (this machine has CPUs 0.." + (cpus - 1) + ")";
        }
        if (!filePrefix.matches("[A-Za-z0-9_-]{1,32}"))
        {
            return "--file-prefix: 1 to 32 letters, digits, _ and -";
        }
        if (memMb < 64)
        {
            return "--mem must be at least 64 (MB)";
        }
        if (frameBytes < FrameTemplate.MIN_LENGTH || frameBytes > FrameTemplate.MAX_LENGTH)
        {
            return "--frame must be " + FrameTemplate.MIN_LENGTH + ".." + FrameTemplate.MAX_LENGTH + " bytes";
        }
        if (!(durationS > 0) || !(warmupS >= 0) || durationS > 3600 || warmupS > 3600)
        {
            return "--duration must be above 0 and --warmup at least 0 (seconds, at most 3600)";
        }
        if (null != maxMpps && !(maxMpps > 0 && maxMpps < 1000))
        {
            return "--max-mpps must be above 0 (Mpps)";
        }
        if (macs < 1 || macs > MacSpreader.MAX_COUNT)
        {
            return "--macs must be 1.." + MacSpreader.MAX_COUNT;
        }
        if (!(learnRate >= 100) || Double.isInfinite(learnRate))
        {
            return "--learn-rate must be at least 100 (frames per second)";
        }
        try
        {
            loadPercents();
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        for (final String text : new String[]{ scenario, switchName, null == x ? "" : x })
        {
            if (text.contains("\t") || text.contains("\n"))
            {
                return "--scenario, --switch and --x cannot hold tabs or newlines (results.tsv is tab-separated)";
            }
        }
        return null;
    }

    /** The loads as percentages (0, 100], in the given order; a trailing '%' is allowed; "none": the maximum rate only. */
    public double[] loadPercents()
    {
        if (loads.size() == 1 && NO_LOADS.equalsIgnoreCase(loads.get(0).trim()))
        {
            return new double[0];
        }
        if (loads.isEmpty())
        {
            throw new IllegalArgumentException("--loads: give at least one percentage, or none");
        }
        final double[] percents = new double[loads.size()];
        for (int i = 0; i < percents.length; i++)
        {
            final String text = loads.get(i).trim();
            try
            {
                percents[i] = Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("--loads: '" + text + "' is not a percentage");
            }
            if (!(percents[i] > 0 && percents[i] <= 100))
            {
                throw new IllegalArgumentException("--loads: " + text + " is outside (0, 100]");
            }
        }
        return percents;
    }

    /** A load as the results' x: "50%", "12.5%". */
    public static String loadLabel(final double percent)
    {
        return BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + "%";
    }

    /** EAL arguments: the thread running the loop becomes the main lcore on {@link #core}. */
    public List<String> ealArguments()
    {
        // --in-memory: no hugepage files to leave behind if the generator is killed; the memory is
        // still shared with the switch (memfd), in one fd per segment list thanks to --single-file-segments
        return List.of("vsgen", "-l", Integer.toString(core), "--no-pci", "--single-file-segments", "--in-memory",
            "-m", Integer.toString(memMb), "--file-prefix", filePrefix, "--no-telemetry", "--log-level", "*:notice");
    }

    /** devargs of virtio-user port {@code index} (0: A, 1: B). */
    public String devargs(final int index)
    {
        return "net_virtio_user" + index + ",path=" + (0 == index ? socketA : socketB) + ",queues=1" + (server ? ",server=1" : "");
    }

    public Path socketA()
    {
        return socketA;
    }

    public Path socketB()
    {
        return socketB;
    }

    public boolean server()
    {
        return server;
    }

    public int core()
    {
        return core;
    }

    public int memMb()
    {
        return memMb;
    }

    public int frameBytes()
    {
        return frameBytes;
    }

    public long durationNanos()
    {
        return (long)(durationS * 1e9);
    }

    public long warmupNanos()
    {
        return (long)(warmupS * 1e9);
    }

    /** null when the maximum is to be measured. */
    public Double maxMpps()
    {
        return maxMpps;
    }

    public long macs()
    {
        return macs;
    }

    public double learnRate()
    {
        return learnRate;
    }

    /** null when no results file is to be written. */
    public Path results()
    {
        return results;
    }

    public String scenario()
    {
        return scenario;
    }

    public String switchName()
    {
        return switchName;
    }

    /** null when not given. */
    public String x()
    {
        return x;
    }
}
