package io.vanswitch.perf.loadgen;

import org.HdrHistogram.Histogram;

/**
 * What one measurement window counted: frames the driver took on A, frames of the window's tag
 * that came back on B and their one-way latencies. Mutable and reused, so the loop allocates nothing;
 * {@link #reset} before each window.
 */
public final class WindowStats
{
    /** Latencies above this are recorded as this: a frame stuck for 10 s is lost in all but name. */
    public static final long HIGHEST_TRACKABLE_NANOS = 10_000_000_000L;
    public static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    long sent;
    long received;
    /** Frames of another window (or not ours) that arrived meanwhile: freed, not counted. */
    long stale;
    /** Frames that arrived with a lower sequence than one received before them. */
    long reordered;
    /** Transmit calls that took fewer frames than offered (the switch's ring was full). */
    long txShort;
    /** Times the mbuf pool was empty when a frame was to be built. */
    long allocFailures;
    long highestSequence;
    long lastArrivalNanos;
    /** Loop iterations (polls of B) in the window. */
    long polls;
    /**
     * The longest time between two polls: the loop itself takes well under a microsecond, so a long
     * gap is this thread descheduled (another process on its CPU), and its frames waited meanwhile:
     * latencies near it are the generator's, not the switch's.
     */
    long longestGapNanos;

    public WindowStats reset()
    {
        histogram.reset();
        sent = 0;
        received = 0;
        stale = 0;
        reordered = 0;
        txShort = 0;
        allocFailures = 0;
        highestSequence = -1;
        lastArrivalNanos = 0;
        polls = 0;
        longestGapNanos = 0;
        return this;
    }

    /** One frame of this window arrived {@code latencyNanos} after it was stamped. */
    void arrived(final long sequence, final long latencyNanos, final long nowNanos)
    {
        received++;
        lastArrivalNanos = nowNanos;
        if (sequence < highestSequence)
        {
            reordered++;
        }
        else
        {
            highestSequence = sequence;
        }
        // a clock cannot run backwards within one process, but a bad frame must not throw here
        histogram.recordValue(Math.max(0, Math.min(latencyNanos, HIGHEST_TRACKABLE_NANOS)));
    }

    public Histogram histogram()
    {
        return histogram;
    }

    public long sent()
    {
        return sent;
    }

    public long received()
    {
        return received;
    }

    public long stale()
    {
        return stale;
    }

    public long reordered()
    {
        return reordered;
    }

    public long txShort()
    {
        return txShort;
    }

    public long allocFailures()
    {
        return allocFailures;
    }

    public long polls()
    {
        return polls;
    }

    public long longestGapNanos()
    {
        return longestGapNanos;
    }

    /** Sent but not received; negative would mean duplicates. */
    public long lost()
    {
        return sent - received;
    }
}
