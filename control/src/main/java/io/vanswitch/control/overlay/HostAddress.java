package io.vanswitch.control.overlay;

/**
 * A peer host's IPv4 underlay address held in an {@code int}, most significant byte first
 * (10.0.0.1 is {@code 0x0A000001}), so that routes and membership keep hosts as primitives.
 * <p>
 * Addresses compare as unsigned numbers: 192.168.0.1 is higher than 10.0.0.1 even though its
 * {@code int} is negative. The duplicate-MAC tie-break ("lower address wins") depends on it.
 */
public final class HostAddress
{
    /** 0.0.0.0: never a peer host, used for "no host". */
    public static final int NONE = 0;

    private HostAddress()
    {
    }

    public static int of(final int a, final int b, final int c, final int d)
    {
        return (octet(a) << 24) | (octet(b) << 16) | (octet(c) << 8) | octet(d);
    }

    private static int octet(final int value)
    {
        if (value < 0 || value > 255)
        {
            throw new IllegalArgumentException("bad IPv4 octet " + value + ": expected 0..255");
        }
        return value;
    }

    /**
     * Parses dotted-quad text such as {@code 10.0.0.1}.
     *
     * @throws IllegalArgumentException with a one-line message for an operator.
     */
    public static int parse(final String text)
    {
        final String[] parts = null == text ? new String[0] : text.split("\\.", -1);
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': expected four numbers like 10.0.0.1");
        }
        int address = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit))
            {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': expected four numbers like 10.0.0.1");
            }
            final int value = Integer.parseInt(part);
            if (value > 255)
            {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': " + value + " is above 255");
            }
            address = (address << 8) | value;
        }
        return address;
    }

    public static String format(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /**
     * @return true when {@code a} is a lower address than {@code b}, comparing as unsigned.
     */
    public static boolean isLower(final int a, final int b)
    {
        return Integer.compareUnsigned(a, b) < 0;
    }

    /**
     * @throws IllegalArgumentException when the address is {@link #NONE}: a signal decoder drops such
     * a signal before it reaches the overlay state.
     */
    static int requireHost(final int host)
    {
        if (NONE == host)
        {
            throw new IllegalArgumentException("0.0.0.0 is not a peer host");
        }
        return host;
    }

    /**
     * Sorts addresses in place in unsigned order (flipping the sign bit maps unsigned order onto
     * signed order), so listings and flood targets come out the same way every time.
     */
    static int[] sortUnsigned(final int[] addresses)
    {
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] ^= Integer.MIN_VALUE;
        }
        java.util.Arrays.sort(addresses);
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] ^= Integer.MIN_VALUE;
        }
        return addresses;
    }
}
