package io.vanswitch.dataplane.testing;

/**
 * Frames written as hex dumps in tests, the way a capture shows them ("45 00 00 73 ..."), and an
 * Internet checksum written independently of the one under test, byte by byte.
 */
public final class Hex
{
    private Hex()
    {
    }

    /** Parses hex digit pairs; whitespace between them is ignored. */
    public static byte[] bytes(final String hex)
    {
        final String digits = hex.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits: " + hex);
        }
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    public static String dump(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length; i++)
        {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    /** RFC 1071 the slow way: 16-bit words added one at a time, carries folded at the end. */
    public static int referenceChecksum(final byte[] bytes, final int offset, final int length)
    {
        long sum = 0;
        for (int i = 0; i < length; i += 2)
        {
            final int high = bytes[offset + i] & 0xFF;
            final int low = i + 1 < length ? bytes[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }
}
