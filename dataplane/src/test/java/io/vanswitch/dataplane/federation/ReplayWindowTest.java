package io.vanswitch.dataplane.federation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sliding window on its own: in order, out of order, replays, the left edge, the ring's wrap
 * and jumps of more than a ring.
 */
class ReplayWindowTest
{
    private final ReplayWindow window = new ReplayWindow();

    private void acceptOnce(final long counter)
    {
        assertEquals(ReplayWindow.OK, window.check(counter), "first time " + counter);
        window.accept(counter);
        assertEquals(ReplayWindow.REPLAYED, window.check(counter), "second time " + counter);
    }

    @Test
    void counterZeroIsNeverValid()
    {
        assertEquals(ReplayWindow.TOO_OLD, window.check(0));
        window.accept(0);
        assertEquals(0, window.highest());
        assertEquals(ReplayWindow.TOO_OLD, window.check(-1), "above 2^63: beyond any sender");
    }

    @Test
    void inOrderEachOnce()
    {
        for (long c = 1; c <= 10_000; c++)
        {
            acceptOnce(c);
        }
        assertEquals(10_000, window.highest());
    }

    @Test
    void outOfOrderWithinTheWindowEachOnce()
    {
        acceptOnce(100);
        acceptOnce(40);
        acceptOnce(99);
        acceptOnce(1);
        acceptOnce(101);
        assertEquals(ReplayWindow.OK, window.check(2), "a gap stays open");
        assertEquals(ReplayWindow.REPLAYED, window.check(40));
    }

    @Test
    void checkChangesNothing()
    {
        assertEquals(ReplayWindow.OK, window.check(5));
        assertEquals(ReplayWindow.OK, window.check(5), "only accept marks a counter seen");
        assertEquals(0, window.highest());
    }

    @Test
    void leftOfTheWindowIsTooOld()
    {
        final long highest = 10 * ReplayWindow.RING_BITS + 17;
        acceptOnce(highest);
        final long oldest = highest - ReplayWindow.WINDOW_SIZE + 1;
        assertEquals(ReplayWindow.OK, window.check(oldest), "the window's left edge is still in it");
        assertEquals(ReplayWindow.TOO_OLD, window.check(oldest - 1));
        assertEquals(ReplayWindow.TOO_OLD, window.check(1));
        acceptOnce(oldest);
        window.accept(oldest - 1);
        assertEquals(ReplayWindow.TOO_OLD, window.check(oldest - 1), "accept ignores what is too old");
    }

    @Test
    void theRingWrapsWithoutRememberingOldBits()
    {
        // every counter of several rings' worth, then each position of the ring must be free again for new counters
        for (long c = 1; c <= 5L * ReplayWindow.RING_BITS; c += 3)
        {
            acceptOnce(c);
        }
        final long base = window.highest();
        for (long c = base + 1; c <= base + ReplayWindow.RING_BITS + 64; c++)
        {
            assertEquals(ReplayWindow.OK, window.check(c), "counter " + c + " shares a ring bit with an old one");
        }
    }

    @Test
    void slidingClearsOnlyWhatLeavesTheWindow()
    {
        acceptOnce(1000);
        acceptOnce(990);
        // slide by less than the window: 990 is still remembered
        acceptOnce(1000 + ReplayWindow.WINDOW_SIZE / 2);
        assertEquals(ReplayWindow.REPLAYED, window.check(990));
        assertEquals(ReplayWindow.OK, window.check(991));
    }

    @Test
    void bigJumps()
    {
        acceptOnce(5);
        acceptOnce(1L << 32);
        assertEquals(ReplayWindow.TOO_OLD, window.check(5));
        assertEquals(ReplayWindow.OK, window.check((1L << 32) - 1));
        assertEquals(ReplayWindow.OK, window.check((1L << 32) - 64), "the same ring word as 5 was, cleared by the jump");
        acceptOnce((1L << 32) - 64);
        acceptOnce(Long.MAX_VALUE);
        assertEquals(ReplayWindow.TOO_OLD, window.check(1L << 32));
        assertEquals(ReplayWindow.OK, window.check(Long.MAX_VALUE - 1));
    }

    @Test
    void resetForgetsEverything()
    {
        acceptOnce(7);
        window.reset();
        assertEquals(0, window.highest());
        acceptOnce(7);
    }
}
