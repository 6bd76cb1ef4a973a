package io.vanswitch.perf.loadgen;

/**
 * A token bucket on the caller's clock (System.nanoTime): tokens accrue at the offered rate, the
 * sender takes at most {@link #MAX_BURST} at a time. The bucket holds the tokens of
 * {@link #CATCH_UP_NANOS} (at least {@link #MIN_DEPTH}): a sender held up briefly (an interrupt, a
 * scheduler tick on a shared CPU) catches up and the offered load stays what was asked, but one
 * descheduled for longer does not turn the backlog into a flood that would be measured as the
 * switch's queueing: its offered rate is then really lower, which the caller sees in its sent count.
 * <p>
 * Unpaced ({@link #unpaced()}): every call permits a full burst.
 */
public final class Pacer
{
    public static final int MAX_BURST = 32;
    /** Two bursts: at low rates, a poll slower than one burst's worth of tokens still loses nothing. */
    public static final double MIN_DEPTH = 2.0 * MAX_BURST;
    /** How far behind the sender may fall and still catch up. */
    public static final long CATCH_UP_NANOS = 1_000_000L;

    private final double framesPerNano;
    private final double depth;
    private final boolean unpaced;
    private double tokens;
    private long lastNanos;

    private Pacer(final double framesPerSecond, final boolean unpaced)
    {
        this.framesPerNano = framesPerSecond / 1e9;
        this.depth = Math.max(MIN_DEPTH, framesPerNano * CATCH_UP_NANOS);
        this.unpaced = unpaced;
    }

    /**
     * @param framesPerSecond the offered rate, above 0.
     */
    public static Pacer perSecond(final double framesPerSecond)
    {
        if (!(framesPerSecond > 0) || Double.isInfinite(framesPerSecond))
        {
            throw new IllegalArgumentException("rate must be a positive number of frames per second: " + framesPerSecond);
        }
        return new Pacer(framesPerSecond, false);
    }

    public static Pacer unpaced()
    {
        return new Pacer(0, true);
    }

    public boolean isUnpaced()
    {
        return unpaced;
    }

    public double framesPerSecond()
    {
        return unpaced ? Double.POSITIVE_INFINITY : framesPerNano * 1e9;
    }

    /** Tokens the bucket holds at most. */
    public double depth()
    {
        return depth;
    }

    /** Empties the bucket and starts accruing at {@code nowNanos}. */
    public Pacer start(final long nowNanos)
    {
        tokens = 0;
        lastNanos = nowNanos;
        return this;
    }

    /**
     * @param room how many frames the caller can take now (free slots in its burst).
     * @return frames to send now: at most {@code room} and {@link #MAX_BURST}; taken from the bucket.
     */
    public int permits(final long nowNanos, final int room)
    {
        final int most = Math.min(room, MAX_BURST);
        if (unpaced)
        {
            return Math.max(0, most);
        }
        final long elapsed = nowNanos - lastNanos;
        if (elapsed > 0)
        {
            tokens = Math.min(depth, tokens + elapsed * framesPerNano);
            lastNanos = nowNanos;
        }
        final int permits = (int)Math.min(tokens, most);
        if (permits <= 0)
        {
            return 0;
        }
        tokens -= permits;
        return permits;
    }

    /** Tokens in the bucket now (fractional): for tests. */
    double tokens()
    {
        return tokens;
    }
}
