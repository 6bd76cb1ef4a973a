package io.vanswitch.dataplane.frame;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4AddressTest
{
    @Test
    void parsesToTheNumericValue()
    {
        assertEquals(0x0A00_0001, Ipv4Address.parse("10.0.0.1"));
        assertEquals(0xC0A8_00C7, Ipv4Address.parse("192.168.0.199"));
        assertEquals(0, Ipv4Address.parse("0.0.0.0"));
        assertEquals(-1, Ipv4Address.parse("255.255.255.255"));
        assertEquals(0x8000_0000, Ipv4Address.parse("128.0.0.0"));
    }

    @Test
    void formatsWithoutSignTrouble()
    {
        assertEquals("10.0.0.1", Ipv4Address.format(0x0A00_0001));
        assertEquals("255.255.255.255", Ipv4Address.format(-1));
        assertEquals("0.0.0.0", Ipv4Address.format(0));
        assertEquals("192.168.0.199", Ipv4Address.format(Ipv4Address.parse("192.168.0.199")));
        for (final int address : new int[]{ 0x8000_0000, 0x7FFF_FFFF, 0xE000_00FB, 0x0102_0304 })
        {
            assertEquals(address, Ipv4Address.parse(Ipv4Address.format(address)));
        }
    }

    @Test
    void rejectsMalformedAddressesSayingWhy()
    {
        assertRejected(null, "expected four numbers 0-255 like 10.0.0.1");
        assertRejected("", "expected four numbers");
        assertRejected("10.0.0", "only 3 parts");
        assertRejected("10", "only 1 part;");
        assertRejected("10.0.0.1.2", "more than four parts");
        assertRejected("10..0.1", "empty part");
        assertRejected("10.0.0.", "empty part");
        assertRejected(".10.0.0", "empty part");
        assertRejected("256.0.0.1", "part '256' is above 255");
        assertRejected("10.0.0.1000", "part '1000' is above 255");
        assertRejected("10.0.0.99999999999", "part '99999999999' is above 255");
        assertRejected("010.0.0.1", "part '010' has a leading zero");
        assertRejected("10.0.0.00", "part '00' has a leading zero");
        assertRejected("10.0.0.-1", "'-' is not a decimal digit");
        assertRejected("+10.0.0.1", "'+' is not a decimal digit");
        assertRejected(" 10.0.0.1", "' ' is not a decimal digit");
        assertRejected("10.0.0.1 ", "' ' is not a decimal digit");
        assertRejected("a.b.c.d", "'a' is not a decimal digit");
        assertRejected("10.0.0.\uFF11", "is not a decimal digit");
        assertRejected("10.0.0.1/24", "'/' is not a decimal digit");
    }

    private static void assertRejected(final String text, final String reason)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
        assertTrue(ex.getMessage().startsWith("bad IPv4 address '" + text + "'"), ex.getMessage());
        assertTrue(ex.getMessage().contains(reason), ex.getMessage());
    }

    @Test
    void parsesCidrKeepingTheHostBits()
    {
        final Ipv4Address.Cidr cidr = Ipv4Address.parseCidr("10.0.0.5/24");
        assertEquals(0x0A00_0005, cidr.address());
        assertEquals(24, cidr.prefixLength());
        assertEquals(0x0A00_0000, cidr.network());
        assertEquals("10.0.0.5/24", cidr.toString());
        assertTrue(cidr.contains(Ipv4Address.parse("10.0.0.254")));
        assertFalse(cidr.contains(Ipv4Address.parse("10.0.1.1")));

        assertEquals(0, Ipv4Address.parseCidr("10.1.2.3/0").prefixLength());
        assertEquals(0, Ipv4Address.parseCidr("10.1.2.3/0").network());
        assertEquals(32, Ipv4Address.parseCidr("10.1.2.3/32").prefixLength());
        assertEquals(0x0A01_0203, Ipv4Address.parseCidr("10.1.2.3/32").network());
    }

    @Test
    void rejectsMalformedCidrSayingWhy()
    {
        assertCidrRejected("10.0.0.1", "bad IPv4 prefix '10.0.0.1': expected an address and a prefix length like 10.0.0.1/24");
        assertCidrRejected(null, "bad IPv4 prefix 'null'");
        assertCidrRejected("10.0.0.1/", "prefix length '' is not a number 0-32");
        assertCidrRejected("10.0.0.1/33", "prefix length 33 is above 32");
        assertCidrRejected("10.0.0.1/-1", "prefix length '-1' is not a number 0-32");
        assertCidrRejected("10.0.0.1/024", "prefix length '024' is not a number 0-32");
        assertCidrRejected("10.0.0.1/08", "prefix length '08' is not a number 0-32");
        assertCidrRejected("10.0.0.1/2a", "prefix length '2a' is not a number 0-32");
        assertCidrRejected("10.0.0.1/24/8", "prefix length '24/8' is not a number 0-32");
        assertCidrRejected("10.0.0/24", "bad IPv4 address '10.0.0': only 3 parts");
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Address.Cidr(1, 33));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Address.Cidr(1, -1));
    }

    private static void assertCidrRejected(final String text, final String message)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parseCidr(text));
        assertTrue(ex.getMessage().contains(message), ex.getMessage());
    }

    @Test
    void masksEveryPrefixLength()
    {
        assertEquals(0, Ipv4Address.mask(0), "not -1: Java shifts ints by the count mod 32");
        assertEquals(0x8000_0000, Ipv4Address.mask(1));
        assertEquals(0xFFFF_FF00, Ipv4Address.mask(24));
        assertEquals(0xFFFF_FFFE, Ipv4Address.mask(31));
        assertEquals(0xFFFF_FFFF, Ipv4Address.mask(32));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.mask(33));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.mask(-1));
    }

    @Test
    void comparesSubnets()
    {
        final int a = Ipv4Address.parse("10.0.0.1");
        final int b = Ipv4Address.parse("10.0.0.200");
        final int c = Ipv4Address.parse("10.0.1.1");
        assertTrue(Ipv4Address.sameSubnet(a, b, 24));
        assertFalse(Ipv4Address.sameSubnet(a, c, 24));
        assertTrue(Ipv4Address.sameSubnet(a, c, 23));
        assertTrue(Ipv4Address.sameSubnet(a, Ipv4Address.parse("200.1.1.1"), 0), "everything is on-link with /0");
        assertFalse(Ipv4Address.sameSubnet(a, b, 32));
        assertTrue(Ipv4Address.sameSubnet(a, a, 32));
        assertFalse(Ipv4Address.sameSubnet(Ipv4Address.parse("128.0.0.1"), Ipv4Address.parse("0.0.0.1"), 1), "high bit");
    }

    @Test
    void knowsHostAddresses()
    {
        assertTrue(Ipv4Address.isHost(Ipv4Address.parse("10.0.0.1")));
        assertTrue(Ipv4Address.isHost(Ipv4Address.parse("223.255.255.254")));
        assertFalse(Ipv4Address.isHost(Ipv4Address.ANY));
        assertFalse(Ipv4Address.isHost(Ipv4Address.parse("224.0.0.1")));
        assertFalse(Ipv4Address.isHost(Ipv4Address.parse("239.255.255.250")));
        assertFalse(Ipv4Address.isHost(Ipv4Address.parse("240.0.0.1")));
        assertFalse(Ipv4Address.isHost(Ipv4Address.BROADCAST));
    }
}
