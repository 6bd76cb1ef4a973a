package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) used by IPv4, ICMP and UDP: the 16-bit ones' complement of
 * the ones' complement sum of the data taken as big-endian 16-bit words, an odd last byte padded
 * with a zero byte on the right. Allocation-free; all values are returned as ints in 0..0xFFFF.
 * <p>
 * The sum is accumulated 32 bits at a time into a long and folded at the end: ones' complement
 * addition is associative and commutative, so summing wider words and folding the carries back
 * (RFC 1071 section 2) gives the same 16-bit result with half the loads.
 */
public final class InternetChecksum
{
    private InternetChecksum()
    {
    }

    /**
     * The folded ones' complement sum of {@code length} bytes from {@code offset}, not yet
     * complemented: a header that carries a correct checksum sums to {@code 0xFFFF}.
     */
    public static int sum(final UnsafeBuffer buffer, final int offset, final int length)
    {
        long sum = 0;
        int i = offset;
        final int end = offset + length;
        // a long takes 2^32 additions of 32-bit words before it could overflow: far beyond any frame
        while (end - i >= 4)
        {
            sum += buffer.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2)
        {
            sum += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (end - i == 1)
        {
            sum += (buffer.getByte(i) & 0xFF) << 8;
        }
        return fold(sum);
    }

    /**
     * The checksum to store for {@code length} bytes from {@code offset}, the checksum field of
     * the data read as zero by the caller (write 0 into it first).
     */
    public static int compute(final UnsafeBuffer buffer, final int offset, final int length)
    {
        return ~sum(buffer, offset, length) & 0xFFFF;
    }

    /** True when the bytes, checksum field included, sum to all ones (RFC 1071 verification). */
    public static boolean isValid(final UnsafeBuffer buffer, final int offset, final int length)
    {
        return sum(buffer, offset, length) == 0xFFFF;
    }

    /**
     * The new checksum after one 16-bit word of the covered data changed from {@code oldWord} to
     * {@code newWord}, without reading the rest of the data: RFC 1624 eqn. 3,
     * {@code HC' = ~(~HC + ~m + m')}. Unlike eqn. 2 of RFC 1141 it never yields 0x0000 in place
     * of 0xFFFF, so the result equals a full recomputation whenever the old checksum was right
     * and the covered data are not all zero (never so for IPv4 or ICMP echo: version, type); when
     * the old checksum was wrong the new one stays wrong, and the receiver still sees the damage.
     */
    public static int update(final int oldChecksum, final int oldWord, final int newWord)
    {
        final long sum = (~oldChecksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /** Folds the carries of a wide ones' complement sum back into 16 bits. */
    public static int fold(final long wideSum)
    {
        long sum = wideSum;
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }
}
