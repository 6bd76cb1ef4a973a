package io.vanswitch.control.overlay;

import org.agrona.collections.Int2IntHashMap;

/**
 * A token bucket per peer host for the LEARN and UNLEARN signals this host sends it: a flood of
 * frames from one sender (or a sender that keeps misrouting) gets a bounded trickle of answers, not
 * one signal per frame, and cannot take the control thread's time from other peers.
 * <p>
 * Each bucket holds up to {@code burst} tokens and refills at {@code ratePerSecond}; a signal takes
 * one. It is kept as a GCRA "theoretical arrival time" (one {@code long} per sender, integer
 * nanoseconds, no drift), which is the same limiter as a token bucket: allowed while the sender's
 * time is at most {@code (burst - 1)} emission intervals ahead of now.
 * <p>
 * Bounded memory: at most {@code maxSenders} buckets. A bucket whose time is not ahead of now is
 * full again, exactly what a sender that was never seen gets, so it can be forgotten without
 * changing any answer; such idle buckets are swept when a new sender needs room. When every bucket
 * is busy, further senders share one overflow bucket until one is idle again.
 * <p>
 * Steady path without allocation: {@link #allow} touches only primitive arrays and an Agrona
 * {@link Int2IntHashMap} sized so that it never grows.
 * <p>
 * Single writer: owned by the control thread, not thread-safe. Times are {@link System#nanoTime()}
 * values from the caller and are compared by difference, so the clock may wrap.
 */
public final class SignalRateLimiter
{
    public static final double DEFAULT_RATE_PER_SECOND = 1_000;
    public static final int DEFAULT_BURST = 256;
    public static final int DEFAULT_MAX_SENDERS = 4_096;

    private static final int NO_SLOT = -1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long emissionIntervalNanos;
    private final long toleranceNanos;
    private final int maxSenders;
    private final Int2IntHashMap slotBySender;
    /** Per slot: the theoretical arrival time of the sender's next signal; the last slot is the shared overflow bucket. */
    private final long[] arrivalNanos;
    private final int overflowSlot;
    private final int[] senderOfSlot;
    private final int[] freeSlots;
    private int freeCount;
    private boolean overflowUsed;
    /** No bucket can be idle before this time: a sweep earlier would find nothing (meaningful only when no bucket is free). */
    private long nextSweepNanos;
    private long allowed;
    private long denied;
    private long overflowed;
    private long forgotten;

    public SignalRateLimiter()
    {
        this(DEFAULT_RATE_PER_SECOND, DEFAULT_BURST, DEFAULT_MAX_SENDERS);
    }

    /**
     * @param ratePerSecond tokens a sender's bucket regains per second (above 0, at most 10^9).
     * @param burst         tokens a full bucket holds: signals a quiet sender gets at once.
     * @param maxSenders    buckets kept at most.
     */
    public SignalRateLimiter(final double ratePerSecond, final int burst, final int maxSenders)
    {
        if (!(ratePerSecond > 0) || ratePerSecond > NANOS_PER_SECOND)
        {
            throw new IllegalArgumentException("rate must be above 0 and at most 1e9 per second: " + ratePerSecond);
        }
        if (burst < 1)
        {
            throw new IllegalArgumentException("burst must be at least 1: " + burst);
        }
        if (maxSenders < 1)
        {
            throw new IllegalArgumentException("maxSenders must be at least 1: " + maxSenders);
        }
        this.emissionIntervalNanos = Math.max(1, Math.round(NANOS_PER_SECOND / ratePerSecond));
        this.toleranceNanos = Math.multiplyExact(emissionIntervalNanos, (long)(burst - 1));
        this.maxSenders = maxSenders;
        // room for maxSenders keys below the load factor: put never resizes (allocates)
        this.slotBySender = new Int2IntHashMap(maxSenders * 2, 0.65f, NO_SLOT);
        this.arrivalNanos = new long[maxSenders + 1];
        this.overflowSlot = maxSenders;
        this.senderOfSlot = new int[maxSenders];
        this.freeSlots = new int[maxSenders];
        for (int i = 0; i < maxSenders; i++)
        {
            freeSlots[i] = maxSenders - 1 - i;
        }
        this.freeCount = maxSenders;
    }

    /**
     * @return true when a signal to {@code sender} may go now (and takes a token for it).
     */
    public boolean allow(final int sender, final long nowNanos)
    {
        int slot = slotBySender.get(sender);
        if (NO_SLOT == slot)
        {
            slot = claimSlot(sender, nowNanos);
            if (NO_SLOT == slot)
            {
                slot = overflowSlot(nowNanos);
            }
        }
        final long arrival = arrivalNanos[slot];
        final long from = arrival - nowNanos > 0 ? arrival : nowNanos;
        if (from - nowNanos > toleranceNanos)
        {
            denied++;
            return false;
        }
        arrivalNanos[slot] = from + emissionIntervalNanos;
        allowed++;
        return true;
    }

    private int overflowSlot(final long nowNanos)
    {
        overflowed++;
        if (!overflowUsed)
        {
            // a clock value is only meaningful relative to another: start the shared bucket full
            overflowUsed = true;
            arrivalNanos[overflowSlot] = nowNanos;
        }
        return overflowSlot;
    }

    private int claimSlot(final int sender, final long nowNanos)
    {
        if (0 == freeCount && nowNanos - nextSweepNanos >= 0)
        {
            sweepIdle(nowNanos);
        }
        if (0 == freeCount)
        {
            return NO_SLOT;
        }
        final int slot = freeSlots[--freeCount];
        senderOfSlot[slot] = sender;
        arrivalNanos[slot] = nowNanos;
        slotBySender.put(sender, slot);
        // this bucket may fill up before any other: a sweep is worth trying from now on
        nextSweepNanos = nowNanos;
        return slot;
    }

    /**
     * Forgets every full bucket (indistinguishable from a new one) and notes when the earliest of
     * the others fills up, so a table of busy senders is not swept again before that.
     */
    private void sweepIdle(final long nowNanos)
    {
        long earliestBusy = 0;
        boolean anyBusy = false;
        for (int slot = 0; slot < maxSenders; slot++)
        {
            final long arrival = arrivalNanos[slot];
            if (arrival - nowNanos <= 0)
            {
                slotBySender.remove(senderOfSlot[slot]);
                freeSlots[freeCount++] = slot;
                forgotten++;
            }
            else if (!anyBusy || arrival - earliestBusy < 0)
            {
                anyBusy = true;
                earliestBusy = arrival;
            }
        }
        nextSweepNanos = anyBusy ? earliestBusy : nowNanos;
    }

    /** @return senders with a bucket of their own now. */
    public int trackedSenders()
    {
        return slotBySender.size();
    }

    public int maxSenders()
    {
        return maxSenders;
    }

    /** @return signals allowed since this limiter was made. */
    public long allowed()
    {
        return allowed;
    }

    /** @return signals refused since this limiter was made. */
    public long denied()
    {
        return denied;
    }

    /** @return idle buckets forgotten to make room for new senders. */
    public long forgotten()
    {
        return forgotten;
    }

    /** @return decisions made on the shared overflow bucket because every bucket was busy. */
    public long overflowed()
    {
        return overflowed;
    }
}
