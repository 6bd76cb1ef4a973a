package io.vanswitch.dataplane.frame;

/**
 * MAC addresses as 48-bit values in a {@code long}, most significant byte first (network order),
 * so that a forwarding key is a primitive and the packet path never builds an object.
 */
public final class MacAddress
{
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** The I/G bit: set for group (broadcast and multicast) addresses. */
    public static final long GROUP_BIT = 0x0100_0000_0000L;
    public static final long MASK = 0xFFFF_FFFF_FFFFL;
    /** Sentinel for "no MAC": not a valid 48-bit value. */
    public static final long NONE = -1L;

    private MacAddress()
    {
    }

    public static boolean isGroup(final long mac)
    {
        return (mac & GROUP_BIT) != 0;
    }

    public static boolean isZero(final long mac)
    {
        return mac == 0;
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with '-' separators).
     *
     * @throws IllegalArgumentException with a message fit for an operator when the text is not a MAC.
     */
    public static long parse(final String text)
    {
        if (null == text || text.length() != 17)
        {
            throw new IllegalArgumentException("bad MAC address '" + text + "': expected six hex pairs like 52:54:00:12:34:56");
        }
        long value = 0;
        for (int i = 0; i < 6; i++)
        {
            final int at = i * 3;
            if (i > 0)
            {
                final char separator = text.charAt(at - 1);
                if (separator != ':' && separator != '-')
                {
                    throw new IllegalArgumentException("bad MAC address '" + text + "': expected six hex pairs like 52:54:00:12:34:56");
                }
            }
            final int hi = hexDigit(text.charAt(at));
            final int lo = hexDigit(text.charAt(at + 1));
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("bad MAC address '" + text + "': expected six hex pairs like 52:54:00:12:34:56");
            }
            value = (value << 8) | (hi << 4) | lo;
        }
        return value;
    }

    /** ASCII hex only: Character.digit would also accept e.g. fullwidth or Arabic-Indic digits. */
    private static int hexDigit(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    public static String format(final long mac)
    {
        final StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int b = (int)(mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift > 0)
            {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
