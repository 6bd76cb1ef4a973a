package io.vanswitch.dataplane.fdb;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalFdbTest
{
    private static final int VAN_A = 1;
    private static final int VAN_B = 2;
    private static final long MAC_1 = 0x0200_0000_0001L;
    private static final long MAC_2 = 0x0200_0000_0002L;
    private static final long MAC_3 = 0x0200_0000_0003L;
    private static final long ON_SLOT_4 = LocalFdb.location(4, 7);
    private static final long ON_SLOT_5 = LocalFdb.location(5, 7);

    private final LocalFdb fdb = new LocalFdb(2);

    @Test
    void unknownMacIsMissing()
    {
        assertEquals(LocalFdb.MISSING, fdb.lookup(VAN_A, MAC_1));
    }

    @Test
    void learnedMacIsFoundAtItsLocation()
    {
        assertTrue(fdb.learn(VAN_A, MAC_1, ON_SLOT_4));

        final long location = fdb.lookup(VAN_A, MAC_1);
        assertEquals(4, LocalFdb.slotOf(location));
        assertEquals(7, LocalFdb.generationOf(location));
        assertEquals(1, fdb.size());
    }

    @Test
    void relearningTheSameLocationIsNoChange()
    {
        fdb.learn(VAN_A, MAC_1, ON_SLOT_4);

        assertFalse(fdb.learn(VAN_A, MAC_1, ON_SLOT_4));
        assertEquals(1, fdb.size());
    }

    @Test
    void macMovesToANewSlotOrGeneration()
    {
        fdb.learn(VAN_A, MAC_1, ON_SLOT_4);

        assertTrue(fdb.learn(VAN_A, MAC_1, ON_SLOT_5));
        assertEquals(ON_SLOT_5, fdb.lookup(VAN_A, MAC_1));
        assertTrue(fdb.learn(VAN_A, MAC_1, LocalFdb.location(5, 8)));
        assertEquals(8, LocalFdb.generationOf(fdb.lookup(VAN_A, MAC_1)));
        assertEquals(1, fdb.size());
    }

    @Test
    void fullTableRefusesNewMacsButStillMovesKnownOnes()
    {
        assertTrue(fdb.learn(VAN_A, MAC_1, ON_SLOT_4));
        assertTrue(fdb.learn(VAN_A, MAC_2, ON_SLOT_4));
        assertTrue(fdb.isFull());

        assertFalse(fdb.learn(VAN_A, MAC_3, ON_SLOT_4));
        assertEquals(LocalFdb.MISSING, fdb.lookup(VAN_A, MAC_3));

        assertTrue(fdb.learn(VAN_A, MAC_2, ON_SLOT_5));
        assertEquals(ON_SLOT_5, fdb.lookup(VAN_A, MAC_2));
        assertEquals(2, fdb.size());
    }

    @Test
    void removingAnEntryMakesRoom()
    {
        fdb.learn(VAN_A, MAC_1, ON_SLOT_4);
        fdb.learn(VAN_A, MAC_2, ON_SLOT_4);

        fdb.remove(VAN_A, MAC_1);

        assertEquals(LocalFdb.MISSING, fdb.lookup(VAN_A, MAC_1));
        assertTrue(fdb.learn(VAN_A, MAC_3, ON_SLOT_4));
    }

    @Test
    void sameMacInTwoVansIsTwoIndependentEntries()
    {
        fdb.learn(VAN_A, MAC_1, ON_SLOT_4);
        fdb.learn(VAN_B, MAC_1, ON_SLOT_5);

        assertEquals(ON_SLOT_4, fdb.lookup(VAN_A, MAC_1));
        assertEquals(ON_SLOT_5, fdb.lookup(VAN_B, MAC_1));

        fdb.remove(VAN_A, MAC_1);
        assertEquals(LocalFdb.MISSING, fdb.lookup(VAN_A, MAC_1));
        assertEquals(ON_SLOT_5, fdb.lookup(VAN_B, MAC_1));
    }

    @Test
    void removeIfDropsOnlyMatchingEntriesAndSeesEachOnce()
    {
        final LocalFdb fdb = new LocalFdb(16);
        fdb.learn(VAN_A, MAC_1, ON_SLOT_4);
        fdb.learn(VAN_A, MAC_2, ON_SLOT_5);
        fdb.learn(VAN_B, MAC_1, ON_SLOT_4);
        fdb.learn(VAN_B, MAC_3, ON_SLOT_5);
        final List<String> seen = new ArrayList<>();

        final int removed = fdb.removeIf((van, mac, location) ->
        {
            seen.add(van + "/" + mac);
            return LocalFdb.slotOf(location) == 4;
        });

        assertEquals(2, removed);
        assertEquals(4, seen.size());
        assertEquals(2, fdb.size());
        assertEquals(LocalFdb.MISSING, fdb.lookup(VAN_A, MAC_1));
        assertEquals(LocalFdb.MISSING, fdb.lookup(VAN_B, MAC_1));
        assertEquals(ON_SLOT_5, fdb.lookup(VAN_A, MAC_2));
        assertEquals(ON_SLOT_5, fdb.lookup(VAN_B, MAC_3));
    }

    @Test
    void removeIfGivesThePredicateTheUnpackedKey()
    {
        fdb.learn(4095, 0xFFFF_FFFF_FFFEL, ON_SLOT_4);
        final long[] seen = new long[3];

        fdb.removeIf((van, mac, location) ->
        {
            seen[0] = van;
            seen[1] = mac;
            seen[2] = location;
            return false;
        });

        assertEquals(4095, seen[0]);
        assertEquals(0xFFFF_FFFF_FFFEL, seen[1]);
        assertEquals(ON_SLOT_4, seen[2]);
    }

    @Test
    void clearEmptiesTheTable()
    {
        fdb.learn(VAN_A, MAC_1, ON_SLOT_4);
        fdb.clear();
        assertEquals(0, fdb.size());
        assertEquals(LocalFdb.MISSING, fdb.lookup(VAN_A, MAC_1));
    }

    @Test
    void keyAndLocationPackingRoundTrips()
    {
        final long key = LocalFdb.key(4095, 0xFFFF_FFFF_FFFFL);
        assertEquals(4095, LocalFdb.vanIndexOf(key));
        assertEquals(0xFFFF_FFFF_FFFFL, LocalFdb.macOf(key));
        final long location = LocalFdb.location(255, Integer.MAX_VALUE);
        assertEquals(255, LocalFdb.slotOf(location));
        assertEquals(Integer.MAX_VALUE, LocalFdb.generationOf(location));
    }
}
