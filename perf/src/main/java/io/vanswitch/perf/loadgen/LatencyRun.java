package io.vanswitch.perf.loadgen;

/**
 * The measurement plan over a {@link TrafficLoop}: find the path through the switch, teach it B's
 * MACs, measure the maximum rate (unless given), then each offered load. No DPDK here: the loop's
 * device layer is whatever it was built with, so the plan runs in unit tests too.
 */
public final class LatencyRun
{
    /** How long frames from A may take to appear at B before the switch is declared absent. */
    public static final long PATH_TIMEOUT_NANOS = 10_000_000_000L;
    public static final String NO_PATH = "no frames came back through the switch: is it running and are the ports joined?";

    private final LatencyOptions options;
    private final long pathTimeoutNanos;
    private final TrafficLoop loop;
    private final ResultOutput output;
    private final WindowStats warmupStats = new WindowStats();
    private final WindowStats stats = new WindowStats();

    public LatencyRun(final LatencyOptions options, final TrafficLoop loop, final ResultOutput output)
    {
        this(options, PATH_TIMEOUT_NANOS, loop, output);
    }

    LatencyRun(final LatencyOptions options, final long pathTimeoutNanos, final TrafficLoop loop, final ResultOutput output)
    {
        this.options = options;
        this.pathTimeoutNanos = pathTimeoutNanos;
        this.loop = loop;
        this.output = output;
    }

    /**
     * @return the exit status: 0 when measured, 1 when the switch carried nothing.
     */
    public int run()
    {
        output.header(options);
        final long pathNanos = loop.awaitPath(pathTimeoutNanos);
        if (pathNanos < 0)
        {
            output.error(NO_PATH);
            return 1;
        }
        output.path(pathNanos);
        output.learned(loop.learn(options.learnRate()), options.learnRate());

        final double maxMpps;
        if (null == options.maxMpps())
        {
            final long windowNanos = measure(Pacer.unpaced());
            maxMpps = stats.received() / (windowNanos / 1e3);
            output.maxRate(maxMpps, stats, windowNanos, options.frameBytes(), options.macs());
            if (0 == stats.received())
            {
                output.error("no frames came back during the max-rate window (" + stats.sent() + " sent): the switch stopped forwarding");
                return 1;
            }
        }
        else
        {
            maxMpps = options.maxMpps();
            output.maxGiven(maxMpps);
        }

        final double[] loads = options.loadPercents();
        if (loads.length > 0)
        {
            output.loadHeader();
        }
        for (final double percent : loads)
        {
            final double targetMpps = maxMpps * percent / 100.0;
            final long windowNanos = measure(Pacer.perSecond(targetMpps * 1e6));
            output.load(percent, targetMpps, stats, windowNanos);
        }
        output.strays(loop.discarded());
        return 0;
    }

    /**
     * A warm-up window (JIT, the switch's caches and queues at this load), then the measured window
     * and its stragglers, into {@link #stats}. Every window sends the same destinations in the same order.
     *
     * @return the measured window's length in nanoseconds.
     */
    private long measure(final Pacer pacer)
    {
        if (options.warmupNanos() > 0)
        {
            loop.resetDestinations();
            loop.window(loop.newWindowTag(), options.warmupNanos(), pacer, warmupStats.reset());
        }
        loop.resetDestinations();
        final int tag = loop.newWindowTag();
        stats.reset();
        final long windowNanos = loop.window(tag, options.durationNanos(), pacer, stats);
        loop.drain(tag, stats);
        return windowNanos;
    }
}
