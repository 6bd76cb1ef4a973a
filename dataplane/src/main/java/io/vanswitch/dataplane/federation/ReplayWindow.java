package io.vanswitch.dataplane.federation;

import java.util.Arrays;

/**
 * Anti-replay for one (key, lane) of sealed frames: which counters have been accepted, over a
 * window behind the highest one, as RFC 6479 lays it out. The bitmap is a ring of 64-bit words;
 * sliding forward clears whole words instead of shifting the bitmap, so a jump costs at most one
 * pass over the ring and an in-window counter one word access. One word of the ring is always the
 * one being filled, so the window guaranteed behind the highest counter is {@link #WINDOW_SIZE}
 * = ring bits - 64.
 * <p>
 * Pure logic, no allocation after construction, single-threaded. Counter 0 is never valid.
 */
public final class ReplayWindow
{
    /** Not seen and within the window (or ahead of it): open the frame, then {@link #accept} it. */
    public static final int OK = 0;
    /** Accepted before. */
    public static final int REPLAYED = 1;
    /** Left of the window, or 0: whether it was seen is no longer known, so it is refused. */
    public static final int TOO_OLD = 2;

    public static final int RING_BITS = 2048;
    public static final int WINDOW_SIZE = RING_BITS - Long.SIZE;

    private static final int WORDS = RING_BITS / Long.SIZE;
    private static final int WORD_MASK = WORDS - 1;

    private final long[] ring = new long[WORDS];
    /** The highest accepted counter, 0 when none. */
    private long highest;

    /**
     * @param counter from the frame's header, unsigned: above 2^63 it is negative and too old,
     *                since senders never count that far.
     * @return OK, REPLAYED or TOO_OLD; changes nothing.
     */
    public int check(final long counter)
    {
        if (counter <= 0)
        {
            return TOO_OLD;
        }
        if (counter > highest)
        {
            return OK;
        }
        if (highest - counter >= WINDOW_SIZE)
        {
            return TOO_OLD;
        }
        return (ring[(int)(counter >>> 6) & WORD_MASK] & (1L << counter)) != 0 ? REPLAYED : OK;
    }

    /**
     * Marks the counter seen, sliding the window when it is the highest yet. Only after the frame
     * authenticated: a forged frame must not use up a counter the genuine one still needs.
     * A counter {@link #check} would not return OK for is ignored.
     */
    public void accept(final long counter)
    {
        if (counter <= 0)
        {
            return;
        }
        final long word = counter >>> 6;
        if (counter > highest)
        {
            // clear the words the window slides over; after a jump of a whole ring or more, all of them
            final long highestWord = highest >>> 6;
            final long slide = Math.min(word - highestWord, WORDS);
            for (long i = 1; i <= slide; i++)
            {
                ring[(int)(highestWord + i) & WORD_MASK] = 0;
            }
            highest = counter;
        }
        else if (highest - counter >= WINDOW_SIZE)
        {
            return;
        }
        // a long shift uses the low 6 bits of the distance: the bit within the word
        ring[(int)word & WORD_MASK] |= 1L << counter;
    }

    /** The highest accepted counter, 0 when none. */
    public long highest()
    {
        return highest;
    }

    /** Forgets everything: for a new key. */
    public void reset()
    {
        Arrays.fill(ring, 0L);
        highest = 0;
    }
}
