package io.vanswitch.perf.loadgen;

/**
 * The destination MACs of the scale scenario: N addresses {@code 02:00:xx:xx:xx:xx} (locally
 * administered, unicast; the low 32 bits are index + 1), visited in a fixed permutation that touches
 * a different entry on every step, so a switch's table is looked up all over rather than in the
 * order it was filled (which caches would flatter).
 * <p>
 * The permutation is a stride walk {@code i -> (i + stride) mod N} with the stride near N / golden
 * ratio and coprime with N: every index comes once per N steps, and successive indexes differ
 * whenever N > 1. No per-MAC state: a million MACs cost two longs.
 */
public final class MacSpreader
{
    /** 02:00:00:00:00:00: the locally administered block the indexes live in. */
    public static final long BASE = 0x0200_0000_0000L;
    /** Indexes 0..MAX_COUNT-1 give the MACs ...:00:00:00:01 to ...:ff:ff:ff:ff. */
    public static final long MAX_COUNT = 0xFFFF_FFFFL;
    private static final double INVERSE_GOLDEN_RATIO = 0.6180339887498949;

    private final long count;
    private final long stride;
    private long index;

    public MacSpreader(final long count)
    {
        if (count < 1 || count > MAX_COUNT)
        {
            throw new IllegalArgumentException("MAC count " + count + " outside 1.." + MAX_COUNT);
        }
        this.count = count;
        this.stride = strideFor(count);
    }

    /** The MAC of index {@code index} (0-based). */
    public static long mac(final long index)
    {
        return BASE | (index + 1);
    }

    /** A stride coprime with {@code count}, near count / golden ratio; 1 for count 1 and 2. */
    static long strideFor(final long count)
    {
        long stride = Math.max(1, Math.round(count * INVERSE_GOLDEN_RATIO));
        // count - 1 is always coprime with count, so this ends before stride reaches count
        while (count > 1 && gcd(stride, count) != 1)
        {
            stride++;
        }
        return stride;
    }

    private static long gcd(final long a, final long b)
    {
        long x = a;
        long y = b;
        while (y != 0)
        {
            final long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    public long count()
    {
        return count;
    }

    public long stride()
    {
        return stride;
    }

    /** The next index of the walk (starting at 0). */
    public long nextIndex()
    {
        final long current = index;
        index += stride;
        if (index >= count)
        {
            index -= count;
        }
        return current;
    }

    public long nextMac()
    {
        return mac(nextIndex());
    }

    /** Back to the start of the walk. */
    public void reset()
    {
        index = 0;
    }
}
