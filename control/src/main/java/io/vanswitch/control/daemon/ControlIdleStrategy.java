package io.vanswitch.control.daemon;

import org.agrona.concurrent.IdleStrategy;

/**
 * The control thread's idle strategy. That thread runs on the housekeeping CPUs, which it shares
 * with the tenants' VMs, so when idle it sleeps rather than spins or wakes every millisecond (with
 * Agrona's backoff parking at 1 ms it woke 1,100 times a second and took 3% of a CPU doing
 * nothing). It waits on the control socket's selector, so a request wakes it at once; the wait's
 * timeout doubles from 1 ms to a maximum while nothing happens and bounds how late the PMDs'
 * learn events are drained and the timers run.
 */
final class ControlIdleStrategy implements IdleStrategy
{
    /** Upper bound of the wait: learn events reach the other PMDs and peers at most this late. */
    static final long DEFAULT_MAX_WAIT_MS = 8;

    private final ControlServer server;
    private final long maxWaitMs;
    private long waitMs = 1;

    ControlIdleStrategy(final ControlServer server, final long maxWaitMs)
    {
        if (maxWaitMs < 1)
        {
            throw new IllegalArgumentException("maxWaitMs must be at least 1: " + maxWaitMs);
        }
        this.server = server;
        this.maxWaitMs = maxWaitMs;
    }

    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    public void idle()
    {
        server.awaitActivity(waitMs);
        waitMs = Math.min(maxWaitMs, waitMs << 1);
    }

    public void reset()
    {
        waitMs = 1;
    }

    public String alias()
    {
        return "control";
    }

    long waitMs()
    {
        return waitMs;
    }
}
