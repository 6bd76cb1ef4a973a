package io.vanswitch.control.federation;

/**
 * Exponential backoff between attempts: the first wait, doubled each failure up to a cap, and back to
 * the first once something worked (a session got up, the bind succeeded).
 */
final class Backoff
{
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    Backoff(final long initialMs, final long maxMs)
    {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.nextMs = initialMs;
    }

    /** @return the wait before the next attempt, and doubles the one after. */
    long next()
    {
        final long waitMs = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return waitMs;
    }

    void reset()
    {
        nextMs = initialMs;
    }
}
