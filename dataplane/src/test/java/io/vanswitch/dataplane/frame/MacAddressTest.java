package io.vanswitch.dataplane.frame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacAddressTest
{
    @Test
    void parsesColonSeparatedMostSignificantByteFirst()
    {
        assertEquals(0x5254_0012_3456L, MacAddress.parse("52:54:00:12:34:56"));
    }

    @Test
    void parsesDashSeparatorsAndEitherCase()
    {
        assertEquals(0xAABB_CCDD_EEFFL, MacAddress.parse("aa-bb-cc-dd-ee-ff"));
        assertEquals(0xAABB_CCDD_EEFFL, MacAddress.parse("AA:BB:cc:DD:ee:FF"));
    }

    @Test
    void formatsLowerCaseWithColonsAndLeadingZeros()
    {
        assertEquals("02:00:00:00:0a:01", MacAddress.format(0x0200_0000_0A01L));
        assertEquals("00:00:00:00:00:00", MacAddress.format(0));
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.format(MacAddress.BROADCAST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"52:54:00:12:34:56", "00:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", "01:00:5e:7f:00:fb", "fe:dc:ba:98:76:54"})
    void formatThenParseRoundTrips(final String text)
    {
        final long mac = MacAddress.parse(text);
        assertEquals(text, MacAddress.format(mac));
        assertEquals(mac, MacAddress.parse(MacAddress.format(mac)));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "", "52:54:00:12:34", "52:54:00:12:34:56:78", "52:54:00:12:34:5", "52:54:00:12:34:566",
        "52:54:00:12:34:5g", "52.54.00.12.34.56", "52 54 00 12 34 56", "5254:0012:3456:",
        "+2:54:00:12:34:56", "52:54:00:12:34:56 ", "\uFF15\uFF12:54:00:12:34:56"})
    void rejectsTextThatIsNotSixHexPairs(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(text));
        assertTrue(ex.getMessage().contains("bad MAC address '" + text + "'"), ex.getMessage());
        assertTrue(ex.getMessage().contains("52:54:00:12:34:56"), "message shows the expected form: " + ex.getMessage());
    }

    @Test
    void groupBitIsTheLeastSignificantBitOfTheFirstByte()
    {
        assertTrue(MacAddress.isGroup(MacAddress.BROADCAST));
        assertTrue(MacAddress.isGroup(MacAddress.parse("01:00:5e:00:00:01")));
        assertTrue(MacAddress.isGroup(MacAddress.parse("33:33:00:00:00:01")));
        assertFalse(MacAddress.isGroup(MacAddress.parse("52:54:00:12:34:56")));
        assertFalse(MacAddress.isGroup(MacAddress.parse("02:00:00:00:00:01")), "locally administered is not group");
        assertFalse(MacAddress.isGroup(MacAddress.parse("00:00:00:00:00:01")), "last byte's low bit is not the group bit");
    }

    @Test
    void zeroIsRecognised()
    {
        assertTrue(MacAddress.isZero(MacAddress.parse("00:00:00:00:00:00")));
        assertFalse(MacAddress.isZero(MacAddress.parse("00:00:00:00:00:01")));
    }
}
