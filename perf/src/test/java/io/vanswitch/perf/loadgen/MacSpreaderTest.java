package io.vanswitch.perf.loadgen;

import io.vanswitch.dataplane.frame.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacSpreaderTest
{
    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 10, 12, 97, 1000, 4096, 65_536, 99_991, 1_000_000 })
    void everyMacOncePerRoundAndSuccessiveFramesDiffer(final long count)
    {
        final MacSpreader spreader = new MacSpreader(count);
        final BitSet seen = new BitSet((int)count);
        long previous = -1;
        for (long i = 0; i < count; i++)
        {
            final long index = spreader.nextIndex();
            assertTrue(index >= 0 && index < count, "index " + index + " of " + count);
            assertFalse(seen.get((int)index), "index " + index + " twice in one round of " + count);
            seen.set((int)index);
            if (count > 1)
            {
                assertNotEquals(previous, index, "successive indexes of " + count);
            }
            previous = index;
        }
        assertEquals(count, seen.cardinality());
        assertEquals(0, spreader.nextIndex(), "the walk comes back to the start after a round");
    }

    @Test
    void theWalkJumpsAcrossTheTableRatherThanFillingItInOrder()
    {
        final MacSpreader spreader = new MacSpreader(1_000_000);
        assertEquals(618_037, spreader.stride(), "near N / golden ratio and coprime with N");
        spreader.nextIndex();
        assertEquals(618_037, spreader.nextIndex());
        assertEquals(236_074, spreader.nextIndex());
    }

    @Test
    void stridesAreCoprimeWithTheCount()
    {
        for (long count = 2; count < 5_000; count++)
        {
            final long stride = MacSpreader.strideFor(count);
            assertTrue(stride >= 1 && stride < count, "stride " + stride + " for " + count);
            assertEquals(1, gcd(stride, count), "stride " + stride + " for " + count);
        }
    }

    @Test
    void macsAreLocallyAdministeredUnicastAndDistinctFromA()
    {
        assertEquals(0x0200_0000_0001L, MacSpreader.mac(0));
        assertEquals(0x0200_000F_4240L, MacSpreader.mac(999_999));
        assertEquals(0x0200_FFFF_FFFFL, MacSpreader.mac(MacSpreader.MAX_COUNT - 1));
        for (final long index : new long[]{ 0, 1, 999_999, MacSpreader.MAX_COUNT - 1 })
        {
            final long mac = MacSpreader.mac(index);
            assertFalse(MacAddress.isGroup(mac), "unicast");
            assertEquals(0x02, (mac >>> 40) & 0x02, "locally administered");
            assertNotEquals(TrafficLoop.MAC_A, mac);
        }
    }

    @Test
    void resetRestartsTheWalk()
    {
        final MacSpreader spreader = new MacSpreader(10);
        final long first = spreader.nextMac();
        spreader.nextMac();
        spreader.reset();
        assertEquals(first, spreader.nextMac());
        assertEquals(MacSpreader.mac(0), first);
    }

    @Test
    void refusesCountsOutsideTheAddressBlock()
    {
        assertThrows(IllegalArgumentException.class, () -> new MacSpreader(0));
        assertThrows(IllegalArgumentException.class, () -> new MacSpreader(MacSpreader.MAX_COUNT + 1));
    }

    private static long gcd(final long a, final long b)
    {
        return 0 == b ? a : gcd(b, a % b);
    }
}
