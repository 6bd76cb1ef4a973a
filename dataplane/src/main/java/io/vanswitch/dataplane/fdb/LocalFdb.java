package io.vanswitch.dataplane.fdb;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

/**
 * One PMD thread's forwarding table: (VAN index, MAC) to the port slot the MAC was last seen on.
 * Owned and written by that PMD thread only (single writer); the control thread learns of changes
 * through learn events, never by reading this table.
 * <p>
 * Keys pack the VAN index into the top 16 bits above the 48-bit MAC. Values pack the port's
 * generation above its slot, so an entry for a deleted (or re-used) slot can never be hit.
 */
public final class LocalFdb
{
    public static final long MISSING = -1L;
    private static final int MAC_BITS = 48;

    private final Long2LongHashMap entries;
    private final int capacity;
    private final LongArrayList staleKeys = new LongArrayList();

    public LocalFdb(final int capacity)
    {
        this.capacity = capacity;
        // sized so that reaching capacity never triggers a rehash (an allocation) in the packet path
        this.entries = new Long2LongHashMap(Math.max(16, capacity * 2), 0.65f, MISSING);
    }

    public static long key(final int vanIndex, final long mac)
    {
        return ((long)vanIndex << MAC_BITS) | mac;
    }

    public static int vanIndexOf(final long key)
    {
        return (int)(key >>> MAC_BITS);
    }

    public static long macOf(final long key)
    {
        return key & 0xFFFF_FFFF_FFFFL;
    }

    public static long location(final int slot, final int generation)
    {
        return ((long)generation << 32) | (slot & 0xFFFF_FFFFL);
    }

    public static int slotOf(final long location)
    {
        return (int)location;
    }

    public static int generationOf(final long location)
    {
        return (int)(location >>> 32);
    }

    /**
     * @return the packed location, or {@link #MISSING}.
     */
    public long lookup(final int vanIndex, final long mac)
    {
        return entries.get(key(vanIndex, mac));
    }

    /**
     * Learns or moves a MAC.
     *
     * @return true when the table changed (new MAC or moved MAC), false when it was already known
     * there or the table is full.
     */
    public boolean learn(final int vanIndex, final long mac, final long location)
    {
        final long key = key(vanIndex, mac);
        final long previous = entries.get(key);
        if (previous == location)
        {
            return false;
        }
        if (previous == MISSING && entries.size() >= capacity)
        {
            return false;
        }
        entries.put(key, location);
        return true;
    }

    /** Counts {@code hits} frames on a remote route at once (a burst's worth). */
    public void countHits(final int vanIndex, final long mac, final int hits)
    {
        final long key = key(vanIndex, mac);
        final long location = entries.get(key);
        if (location != MISSING)
        {
            entries.put(key, location + ((long)hits << 32));
        }
    }

    /** Visits every entry (not on the packet path). */
    public void forEach(final EntryPredicate visitor)
    {
        final Long2LongHashMap.KeyIterator keys = entries.keySet().iterator();
        while (keys.hasNext())
        {
            final long key = keys.nextValue();
            visitor.test(vanIndexOf(key), macOf(key), entries.get(key));
        }
    }

    public boolean isFull()
    {
        return entries.size() >= capacity;
    }

    public int size()
    {
        return entries.size();
    }

    public void remove(final int vanIndex, final long mac)
    {
        entries.remove(key(vanIndex, mac));
    }

    /**
     * Drops every entry whose location is no longer valid: its port is gone, re-used, or moved to
     * another VAN. Runs on a topology change, never per packet.
     *
     * @return the number of entries removed.
     */
    public int removeIf(final EntryPredicate stale)
    {
        staleKeys.clear();
        final Long2LongHashMap.KeyIterator keys = entries.keySet().iterator();
        while (keys.hasNext())
        {
            final long key = keys.nextValue();
            if (stale.test(vanIndexOf(key), macOf(key), entries.get(key)))
            {
                staleKeys.addLong(key);
            }
        }
        for (int i = 0; i < staleKeys.size(); i++)
        {
            entries.remove(staleKeys.getLong(i));
        }
        return staleKeys.size();
    }

    public void clear()
    {
        entries.clear();
    }

    @FunctionalInterface
    public interface EntryPredicate
    {
        boolean test(int vanIndex, long mac, long location);
    }
}
