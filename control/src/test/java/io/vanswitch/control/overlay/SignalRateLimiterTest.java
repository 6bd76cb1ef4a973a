package io.vanswitch.control.overlay;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_A;
import static io.vanswitch.control.overlay.RemoteRoutesTest.HOST_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalRateLimiterTest
{
    private static final long MS = 1_000_000L;
    /** An arbitrary clock origin: nanoTime values mean nothing by themselves, and may be negative. */
    private static final long T0 = -123_456_789_000L;

    /** 10 signals a second (one per 100 ms), 5 at once. */
    private final SignalRateLimiter limiter = new SignalRateLimiter(10, 5, 4);

    private int allowedInARow(final SignalRateLimiter limiter, final int sender, final long nowNanos)
    {
        int allowed = 0;
        while (limiter.allow(sender, nowNanos))
        {
            allowed++;
            if (allowed > 1_000_000)
            {
                throw new AssertionError("never limited");
            }
        }
        return allowed;
    }

    @Test
    void aQuietSenderGetsTheBurstThenIsLimited()
    {
        assertEquals(5, allowedInARow(limiter, HOST_A, T0));

        assertFalse(limiter.allow(HOST_A, T0 + 99 * MS), "no whole token back yet");
        assertEquals(5, limiter.allowed());
        assertEquals(2, limiter.denied());
    }

    @Test
    void tokensComeBackAtTheRate()
    {
        allowedInARow(limiter, HOST_A, T0);

        assertTrue(limiter.allow(HOST_A, T0 + 100 * MS));
        assertFalse(limiter.allow(HOST_A, T0 + 100 * MS));
        assertEquals(2, allowedInARow(limiter, HOST_A, T0 + 300 * MS));
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst()
    {
        allowedInARow(limiter, HOST_A, T0);

        assertEquals(5, allowedInARow(limiter, HOST_A, T0 + 60_000 * MS));
    }

    @Test
    void aSteadySenderGetsTheRate()
    {
        int allowed = 0;
        for (long t = 0; t <= 10_000 * MS; t += MS)
        {
            if (limiter.allow(HOST_A, T0 + t))
            {
                allowed++;
            }
        }
        assertEquals(5 + 100, allowed, "the burst, then 10 a second for 10 seconds");
    }

    @Test
    void sendersHaveBucketsOfTheirOwn()
    {
        allowedInARow(limiter, HOST_A, T0);

        assertEquals(5, allowedInARow(limiter, HOST_B, T0));
        assertEquals(2, limiter.trackedSenders());
    }

    @Test
    void manySendersKeepMemoryBounded()
    {
        for (int sender = 1; sender <= 10_000; sender++)
        {
            limiter.allow(sender, T0 + sender * 25 * MS);
            assertTrue(limiter.trackedSenders() <= 4);
        }
        assertEquals(4, limiter.maxSenders());
        assertEquals(10_000, limiter.allowed(), "one signal each, 25 ms apart: a bucket is idle again after 100 ms");
        assertEquals(0, limiter.overflowed(), "idle buckets made room");
        assertEquals(10_000 - 4, limiter.forgotten());
    }

    @Test
    void forgettingAnIdleSenderChangesNothingForIt()
    {
        assertEquals(5, allowedInARow(limiter, HOST_A, T0));
        // four others push HOST_A's full bucket out once it has refilled
        final long later = T0 + 1_000 * MS;
        for (int sender = 100; sender < 104; sender++)
        {
            assertTrue(limiter.allow(sender, later));
        }
        assertEquals(4, limiter.trackedSenders());

        assertEquals(5, allowedInARow(limiter, HOST_A, later + 500 * MS), "a full burst, as if it had been remembered");
    }

    @Test
    void whenEveryBucketIsBusyNewSendersShareOne()
    {
        for (int sender = 1; sender <= 4; sender++)
        {
            assertTrue(limiter.allow(sender, T0));
        }

        // all four buckets have a token out: none can be forgotten, senders 5 and 6 share the overflow bucket
        assertEquals(5, allowedInARow(limiter, 5, T0 + MS));
        assertFalse(limiter.allow(6, T0 + MS));
        assertEquals(4, limiter.trackedSenders());
        assertTrue(limiter.overflowed() > 0);

        // once a bucket is idle again, a new sender gets a bucket of its own
        assertEquals(5, allowedInARow(limiter, 7, T0 + 200 * MS));
    }

    @Test
    void theClockMayWrap()
    {
        final long nearTheEnd = Long.MAX_VALUE - 150 * MS;
        assertEquals(5, allowedInARow(limiter, HOST_A, nearTheEnd));

        assertEquals(3, allowedInARow(limiter, HOST_A, nearTheEnd + 300 * MS), "300 ms later, past the wrap");
    }

    @Test
    void aBurstOfOneIsAStrictRate()
    {
        final SignalRateLimiter strict = new SignalRateLimiter(1_000, 1, 1);

        assertTrue(strict.allow(HOST_A, T0));
        assertFalse(strict.allow(HOST_A, T0 + MS - 1));
        assertTrue(strict.allow(HOST_A, T0 + MS));
    }

    @Test
    void badSettingsAreRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> new SignalRateLimiter(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SignalRateLimiter(Double.NaN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SignalRateLimiter(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SignalRateLimiter(1, 1, 0));
    }

    /**
     * allow() must not allocate on any of its paths: known senders, new senders taking a free
     * bucket, sweeps of idle buckets and the shared overflow bucket, all mixed below. As in the
     * dataplane's PipelineAllocationTest, the JVM may itself allocate on this thread now and then
     * (compilation requests after warm-up), so the window is measured up to a few rounds and one
     * round must allocate exactly nothing; an allocation per call would show in every round.
     */
    @Test
    void allowAllocatesNothingInSteadyState()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "the zero-allocation check needs a JVM that counts per-thread allocation");
        threads.setThreadAllocatedMemoryEnabled(true);

        final SignalRateLimiter steady = new SignalRateLimiter(1_000, 16, 16);
        final int[] senders = new int[200];
        for (int i = 0; i < senders.length; i++)
        {
            senders[i] = HostAddress.of(10, 1, i / 250, 1 + i % 250);
        }
        final long[] clock = {T0};
        final Runnable window = () ->
        {
            for (int i = 0; i < 100_000; i++)
            {
                // a few chatty senders, and a long tail that comes and goes
                final int sender = (i & 3) != 0 ? senders[i & 7] : senders[(i >>> 2) % senders.length];
                steady.allow(sender, clock[0]);
                clock[0] += 10_000;
            }
        };
        for (int i = 0; i < 20; i++)
        {
            window.run();
        }

        final List<Long> rounds = new ArrayList<>();
        long allocated = -1;
        for (int round = 0; round < 5 && allocated != 0; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            window.run();
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
            rounds.add(allocated);
        }

        assertEquals(0, allocated, "bytes allocated per 100,000 calls of allow(), by round: " + rounds);
        assertTrue(steady.denied() > 0 && steady.allowed() > 0, "both answers exercised");
        assertTrue(steady.forgotten() > 0 && steady.overflowed() > 0, "sweeps and the overflow bucket exercised");
        assertTrue(steady.trackedSenders() <= 16);
    }
}
