package io.vanswitch.perf.loadgen;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Where the figures go: a human-readable summary on stdout always, and with --results records
 * appended to DIR/results.tsv exactly as perf/lib.sh's perf_record writes them
 * ({@code scenario \t switch \t x \t metric \t value \t note}), so the report writer reads the
 * generator's figures like any scenario's.
 */
public final class ResultOutput
{
    public static final String RESULTS_FILE = "results.tsv";

    private final PrintStream out;
    private final Path resultsFile;
    private final String scenario;
    private final String switchName;
    private final String x;

    /**
     * @param resultsDir null for stdout only.
     * @param x          the x of the max_mpps and learn_s records, null for their defaults.
     */
    public ResultOutput(final PrintStream out, final Path resultsDir, final String scenario, final String switchName, final String x)
    {
        this.out = out;
        this.resultsFile = null == resultsDir ? null : resultsDir.resolve(RESULTS_FILE);
        this.scenario = scenario;
        this.switchName = switchName;
        this.x = x;
    }

    public void header(final LatencyOptions options)
    {
        out.printf(Locale.ROOT, "latency generator: A %s, B %s (%s), core %d, %d-byte frames, %d destination MAC%s%n",
            options.socketA(), options.socketB(), options.server() ? "we serve the sockets" : "the switch serves the sockets",
            options.core(), options.frameBytes(), options.macs(), options.macs() == 1 ? "" : "s");
    }

    public void path(final long nanos)
    {
        out.printf(Locale.ROOT, "path: frames from A reached B after %.3f s%n", nanos / 1e9);
    }

    public void learned(final TrafficLoop.LearnResult learn, final double framesPerSecond)
    {
        final double seconds = learn.sendNanos() / 1e9;
        final long macs = learn.macs();
        out.printf(Locale.ROOT, "learning: B taught %d MAC%s at %.0f frames/s in %d pass%s, %.3f s sending; %d of %d came through " +
                "to A (%d frames sent, %d arrived)%n", macs, macs == 1 ? "" : "s", framesPerSecond, learn.passes(),
            learn.passes() == 1 ? "" : "es", seconds, learn.learned(), macs, learn.sent(), learn.arrivedAtA());
        if (macs > 1)
        {
            record(null == x ? Long.toString(macs) : x, "learn_s", format(seconds),
                macs + " MACs at " + Math.round(framesPerSecond) + " frames/s in " + learn.passes() + " pass" +
                    (learn.passes() == 1 ? "" : "es") + ", " + learn.learned() + " reached A; " + learn.sent() + " frames sent");
        }
    }

    public void maxRate(final double mpps, final WindowStats stats, final long windowNanos, final int frameBytes, final long macs)
    {
        out.printf(Locale.ROOT, "max rate: %.3f Mpps (%d frames received on B of %d sent in %.3f s, unpaced; %.0f ns per poll, " +
            "longest stall %.0f us)%n", mpps, stats.received(), stats.sent(), windowNanos / 1e9,
            stats.polls() == 0 ? 0.0 : (double)windowNanos / stats.polls(), micros(stats.longestGapNanos()));
        record(null == x ? "max" : x, "max_mpps", format(mpps),
            "received " + stats.received() + " of " + stats.sent() + " sent in " + format(windowNanos / 1e9) + " s; " +
                frameBytes + "-byte frames, " + macs + " MAC" + (macs == 1 ? "" : "s"));
    }

    public void maxGiven(final double mpps)
    {
        out.printf(Locale.ROOT, "max rate: %.3f Mpps (given with --max-mpps, not measured)%n", mpps);
    }

    public void loadHeader()
    {
        out.println("(stall: the generator's longest pause between two polls; latencies near it are its own, " +
            "not the switch's: give it a CPU of its own)");
        out.printf(Locale.ROOT, "%-6s %12s %12s %10s %10s %10s %10s %12s %12s %10s %10s%n",
            "load", "target Mpps", "offered Mpps", "p50 us", "p99 us", "p99.9 us", "max us", "sent", "received", "lost", "stall us");
    }

    public void load(final double percent, final double targetMpps, final WindowStats stats, final long windowNanos)
    {
        final String label = LatencyOptions.loadLabel(percent);
        final Histogram histogram = stats.histogram();
        final double offeredMpps = stats.sent() / (windowNanos / 1e3);
        final boolean any = stats.received() > 0;
        final double p50 = any ? micros(histogram.getValueAtPercentile(50.0)) : Double.NaN;
        final double p99 = any ? micros(histogram.getValueAtPercentile(99.0)) : Double.NaN;
        final double p999 = any ? micros(histogram.getValueAtPercentile(99.9)) : Double.NaN;
        final double max = any ? micros(histogram.getMaxValue()) : Double.NaN;
        final long lost = stats.lost();
        out.printf(Locale.ROOT, "%-6s %12.3f %12.3f %10.2f %10.2f %10.2f %10.2f %12d %12d %10d %10.0f%n",
            label, targetMpps, offeredMpps, p50, p99, p999, max, stats.sent(), stats.received(), lost,
            micros(stats.longestGapNanos()));
        if (!any)
        {
            out.printf(Locale.ROOT, "       (no frames came back at %s: no latency recorded)%n", label);
            return;
        }
        final String note = "sent " + stats.sent() + ", received " + stats.received() + ", lost " + lost + " (" +
            String.format(Locale.ROOT, "%.3f", stats.sent() == 0 ? 0.0 : 100.0 * lost / stats.sent()) + "%), offered " +
            format(offeredMpps) + " of " + format(targetMpps) + " Mpps" +
            (stats.reordered() > 0 ? ", " + stats.reordered() + " reordered" : "") +
            ", generator's longest stall " + Math.round(micros(stats.longestGapNanos())) + " us";
        record(label, "p50_us", format(p50), note);
        record(label, "p99_us", format(p99), note);
        record(label, "p999_us", format(p999), note);
        record(label, "max_us", format(max), note);
    }

    /** Frames that came where none were awaited: a switch flooding A's own frames back, or B's to B. */
    public void strays(final long frames)
    {
        if (frames > 0)
        {
            out.printf(Locale.ROOT, "strays: %d frames arrived where none were sent to (at A, or at B while B was learning)%n", frames);
        }
    }

    public void error(final String message)
    {
        out.flush();
        System.err.println("latency generator: " + message);
    }

    private static double micros(final long nanos)
    {
        return nanos / 1e3;
    }

    private static String format(final double value)
    {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** One perf_record line: the same fields, tabs, and no carriage returns. */
    void record(final String x, final String metric, final String value, final String note)
    {
        if (null == resultsFile)
        {
            return;
        }
        final String line = String.join("\t", scenario, switchName, x, metric, value, note).replace("\r", "") + "\n";
        try
        {
            Files.createDirectories(resultsFile.getParent());
            Files.writeString(resultsFile, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot append to " + resultsFile + ": " + ex.getMessage(), ex);
        }
    }
}
