package io.vanswitch.control.overlay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressAndSequenceTest
{
    @Test
    void addressesParseAndFormatInNetworkOrder()
    {
        assertEquals(0x0A00_0001, HostAddress.parse("10.0.0.1"));
        assertEquals(0xC0A8_0101, HostAddress.parse("192.168.1.1"));
        assertEquals(HostAddress.of(192, 168, 1, 1), HostAddress.parse("192.168.1.1"));
        assertEquals("192.168.1.1", HostAddress.format(0xC0A8_0101));
        assertEquals("255.255.255.255", HostAddress.format(-1));
        assertEquals("0.0.0.0", HostAddress.format(HostAddress.NONE));
    }

    @Test
    void badAddressesAreRejected()
    {
        for (final String bad : new String[]{"10.0.0", "10.0.0.256", "10.0.0.1.2", "a.b.c.d", "10..0.1", "", "1234.0.0.1", "-1.0.0.1"})
        {
            assertThrows(IllegalArgumentException.class, () -> HostAddress.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> HostAddress.parse(null));
        assertThrows(IllegalArgumentException.class, () -> HostAddress.of(1, 2, 3, 256));
    }

    @Test
    void addressesCompareUnsigned()
    {
        assertTrue(HostAddress.isLower(HostAddress.parse("10.0.0.1"), HostAddress.parse("192.168.1.1")));
        assertFalse(HostAddress.isLower(HostAddress.parse("192.168.1.1"), HostAddress.parse("10.0.0.1")));
        assertFalse(HostAddress.isLower(HostAddress.parse("10.0.0.1"), HostAddress.parse("10.0.0.1")));
        assertArrayEquals(new int[]{0x0A00_0001, 0x7F00_0001, 0xC0A8_0101, 0xFFFF_FFFF},
            HostAddress.sortUnsigned(new int[]{0xFFFF_FFFF, 0xC0A8_0101, 0x0A00_0001, 0x7F00_0001}));
    }

    @Test
    void sequencesCompareAsSerialNumbers()
    {
        assertTrue(MobilitySequence.isNewer(4, 3));
        assertFalse(MobilitySequence.isNewer(3, 4));
        assertFalse(MobilitySequence.isNewer(3, 3));
        assertEquals(0, MobilitySequence.next(0xFFFF_FFFF));
        assertTrue(MobilitySequence.isNewer(0, 0xFFFF_FFFF), "wraps");
        assertTrue(MobilitySequence.isNewer(0x7FFF_FFFF, 0), "ahead by less than 2^31");
        assertFalse(MobilitySequence.isNewer(0x8000_0000, 0), "exactly 2^31 apart: neither is newer");
        assertFalse(MobilitySequence.isNewer(0, 0x8000_0000));
        assertEquals("4294967295", MobilitySequence.format(0xFFFF_FFFF));
    }
}
