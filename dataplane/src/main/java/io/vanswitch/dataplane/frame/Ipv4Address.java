package io.vanswitch.dataplane.frame;

/**
 * IPv4 addresses as the int holding their numeric value, most significant byte first
 * (10.0.0.1 is {@code 0x0A000001}), which is also how the flyweights read them off the wire, so
 * the packet path compares primitives and never builds an object. Parsing and formatting are for
 * configuration and logs, not the packet path.
 */
public final class Ipv4Address
{
    /** 0.0.0.0: "no address", e.g. the sender of an ARP probe. */
    public static final int ANY = 0;
    public static final int BROADCAST = 0xFFFF_FFFF;

    private static final String EXPECTED = "expected four numbers 0-255 like 10.0.0.1";

    /**
     * An address with the length of its network prefix, as an interface is configured
     * ({@code 10.0.0.5/24}): the host bits are kept.
     */
    public record Cidr(int address, int prefixLength)
    {
        public Cidr
        {
            if (prefixLength < 0 || prefixLength > 32)
            {
                throw new IllegalArgumentException("bad prefix length " + prefixLength + ": expected 0-32");
            }
        }

        /** The address with its host bits cleared. */
        public int network()
        {
            return address & mask(prefixLength);
        }

        public boolean contains(final int other)
        {
            return sameSubnet(address, other, prefixLength);
        }

        @Override
        public String toString()
        {
            return format(address) + "/" + prefixLength;
        }
    }

    private Ipv4Address()
    {
    }

    /**
     * Parses dotted-decimal {@code a.b.c.d}: exactly four decimal parts of 0-255, without signs,
     * spaces or leading zeros (which some parsers read as octal: 010 is 8 to inet_aton).
     *
     * @throws IllegalArgumentException with a message fit for an operator when the text is not an address.
     */
    public static int parse(final String text)
    {
        if (null == text || text.isEmpty())
        {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': " + EXPECTED);
        }
        int value = 0;
        int parts = 0;
        int start = 0;
        while (true)
        {
            final int dot = text.indexOf('.', start);
            final int end = dot < 0 ? text.length() : dot;
            if (++parts > 4)
            {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': more than four parts; " + EXPECTED);
            }
            value = (value << 8) | part(text, start, end);
            if (dot < 0)
            {
                break;
            }
            start = dot + 1;
        }
        if (parts < 4)
        {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': only " + parts + " part" +
                (parts == 1 ? "" : "s") + "; " + EXPECTED);
        }
        return value;
    }

    private static int part(final String text, final int start, final int end)
    {
        if (start == end)
        {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': empty part; " + EXPECTED);
        }
        for (int i = start; i < end; i++)
        {
            final char c = text.charAt(i);
            // ASCII only: Character.isDigit would also accept e.g. fullwidth or Arabic-Indic digits
            if (c < '0' || c > '9')
            {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': '" + c + "' is not a decimal digit; " +
                    EXPECTED);
            }
        }
        final String part = text.substring(start, end);
        if (part.length() > 1 && part.charAt(0) == '0')
        {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': part '" + part +
                "' has a leading zero (octal to some tools); " + EXPECTED);
        }
        // more than three digits would also overflow an int soon enough
        if (part.length() > 3 || Integer.parseInt(part) > 255)
        {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': part '" + part + "' is above 255; " +
                EXPECTED);
        }
        return Integer.parseInt(part);
    }

    public static String format(final int address)
    {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }

    /**
     * Parses {@code a.b.c.d/nn}, the prefix length 0-32 in decimal.
     *
     * @throws IllegalArgumentException with a message fit for an operator when the text is not one.
     */
    public static Cidr parseCidr(final String text)
    {
        final int slash = null == text ? -1 : text.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("bad IPv4 prefix '" + text + "': expected an address and a prefix length " +
                "like 10.0.0.1/24");
        }
        final int address = parse(text.substring(0, slash));
        final String prefix = text.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || !isDecimal(prefix) || (prefix.length() > 1 && prefix.charAt(0) == '0'))
        {
            throw new IllegalArgumentException("bad IPv4 prefix '" + text + "': prefix length '" + prefix +
                "' is not a number 0-32");
        }
        final int prefixLength = Integer.parseInt(prefix);
        if (prefixLength > 32)
        {
            throw new IllegalArgumentException("bad IPv4 prefix '" + text + "': prefix length " + prefixLength +
                " is above 32");
        }
        return new Cidr(address, prefixLength);
    }

    private static boolean isDecimal(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the address can be one host's: not 0.0.0.0, not multicast (224/4), not the
     * reserved 240/4 (which holds the limited broadcast 255.255.255.255). A packet's source must be
     * one (RFC 1122 3.2.1.3), so nothing is ever sent back to a group by mistake.
     */
    public static boolean isHost(final int address)
    {
        return address != ANY && (address >>> 28) < 0xE;
    }

    /** The netmask of a prefix length 0-32: 24 gives 255.255.255.0 ({@code 0xFFFFFF00}). */
    public static int mask(final int prefixLength)
    {
        if (prefixLength < 0 || prefixLength > 32)
        {
            throw new IllegalArgumentException("bad prefix length " + prefixLength + ": expected 0-32");
        }
        // Java shifts an int by the count mod 32, so -1 << 32 would be -1, not 0
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** True when both addresses share their first {@code prefixLength} bits: no router between them. */
    public static boolean sameSubnet(final int a, final int b, final int prefixLength)
    {
        return ((a ^ b) & mask(prefixLength)) == 0;
    }
}
