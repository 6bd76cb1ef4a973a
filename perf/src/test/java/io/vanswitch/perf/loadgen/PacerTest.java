package io.vanswitch.perf.loadgen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacerTest
{
    private static final long T0 = 1_000_000_000L;

    @Test
    void tokensAccrueAtTheRate()
    {
        final Pacer pacer = Pacer.perSecond(1_000_000).start(T0);  // one frame per microsecond
        assertEquals(0, pacer.permits(T0, 32), "nothing before any time has passed");
        assertEquals(0, pacer.permits(T0 + 999, 32));
        assertEquals(1, pacer.permits(T0 + 1_000, 32));
        assertEquals(10, pacer.permits(T0 + 11_000, 32));
    }

    @Test
    void fractionsCarryOverSoTheAverageIsExact()
    {
        final Pacer pacer = Pacer.perSecond(1_500_000).start(T0);  // 1.5 frames per microsecond
        long total = 0;
        for (int us = 1; us <= 10_000; us++)
        {
            total += pacer.permits(T0 + us * 1_000L, 32);
        }
        assertEquals(15_000, total);
    }

    @Test
    void aSenderHeldUpCatchesUpInBurstsForAtMostOneMillisecondOfFrames()
    {
        final Pacer pacer = Pacer.perSecond(10_000_000).start(T0);
        assertEquals(10_000, pacer.depth(), 1e-9, "1 ms at 10 Mpps");
        // held up 5 ms: 50,000 frames due, the bucket keeps 10,000 of them, a call hands out 32
        assertEquals(Pacer.MAX_BURST, pacer.permits(T0 + 5_000_000, 1_000));
        long caughtUp = Pacer.MAX_BURST;
        int permits;
        while ((permits = pacer.permits(T0 + 5_000_000, 1_000)) > 0)
        {
            assertTrue(permits <= Pacer.MAX_BURST);
            caughtUp += permits;
        }
        assertEquals(10_000, caughtUp, "the backlog beyond the bucket is gone");
    }

    @Test
    void atLowRatesTheBucketStillHoldsTwoBursts()
    {
        final Pacer pacer = Pacer.perSecond(1_000).start(T0);
        assertEquals(Pacer.MIN_DEPTH, pacer.depth(), 1e-9);
        assertEquals(Pacer.MAX_BURST, pacer.permits(T0 + 1_000_000_000L, 1_000));
        assertEquals(Pacer.MAX_BURST, pacer.permits(T0 + 1_000_000_000L, 1_000));
        assertEquals(0, pacer.permits(T0 + 1_000_000_000L, 1_000));
    }

    @Test
    void permitsNeverExceedTheRoomAndUnusedTokensStay()
    {
        final Pacer pacer = Pacer.perSecond(1_000_000).start(T0);
        assertEquals(5, pacer.permits(T0 + 20_000, 5));
        assertEquals(15, pacer.tokens(), 1e-9);
        assertEquals(0, pacer.permits(T0 + 20_000, 0));
        assertEquals(15, pacer.permits(T0 + 20_000, 32));
    }

    @Test
    void aClockThatDoesNotAdvanceOrStepsBackAddsNothing()
    {
        final Pacer pacer = Pacer.perSecond(1_000_000).start(T0);
        assertEquals(3, pacer.permits(T0 + 3_000, 32));
        assertEquals(0, pacer.permits(T0 + 2_000, 32));
        assertEquals(1, pacer.permits(T0 + 4_000, 32), "accrues from the latest time seen");
    }

    @Test
    void restartingEmptiesTheBucket()
    {
        final Pacer pacer = Pacer.perSecond(1_000_000).start(T0);
        pacer.permits(T0 + 5_000, 1);
        pacer.start(T0 + 10_000);
        assertEquals(0, pacer.tokens(), 1e-9);
        assertEquals(2, pacer.permits(T0 + 12_000, 32));
    }

    @Test
    void unpacedPermitsAFullBurstOrTheRoom()
    {
        final Pacer pacer = Pacer.unpaced().start(T0);
        assertTrue(pacer.isUnpaced());
        assertEquals(Pacer.MAX_BURST, pacer.permits(T0, 1_000));
        assertEquals(Pacer.MAX_BURST, pacer.permits(T0, 1_000));
        assertEquals(7, pacer.permits(T0, 7));
        assertEquals(0, pacer.permits(T0, 0));
    }

    @Test
    void longRunRateMatchesWhenPolledOftenEnough()
    {
        final double rate = 2_345_678;
        final Pacer pacer = Pacer.perSecond(rate).start(0);
        long total = 0;
        for (long t = 0; t <= 1_000_000_000L; t += 337)  // a poll every 337 ns for one second
        {
            total += pacer.permits(t, 32);
        }
        assertEquals(rate, total, 1.0);
    }

    @Test
    void refusesRatesThatAreNotPositiveAndFinite()
    {
        assertThrows(IllegalArgumentException.class, () -> Pacer.perSecond(0));
        assertThrows(IllegalArgumentException.class, () -> Pacer.perSecond(-1));
        assertThrows(IllegalArgumentException.class, () -> Pacer.perSecond(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Pacer.perSecond(Double.POSITIVE_INFINITY));
    }
}
