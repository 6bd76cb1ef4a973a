package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.fdb.LocalFdb;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The control thread's view of the local forwarding table, built from the PMD threads' learn
 * events: what {@code vanctl fdb show} lists. The PMDs' own tables are authoritative for forwarding.
 */
public final class FdbView
{
    private final Long2ObjectHashMap<Entry> entries = new Long2ObjectHashMap<>();
    private long version;

    /**
     * @return true when the entry is new or moved.
     */
    public boolean learned(final int vanIndex, final long mac, final int slot, final int generation, final long nowMs)
    {
        final long key = LocalFdb.key(vanIndex, mac);
        final Entry previous = entries.get(key);
        if (null != previous && previous.slot == slot && previous.generation == generation)
        {
            return false;
        }
        entries.put(key, new Entry(vanIndex, mac, slot, generation, nowMs));
        version++;
        return true;
    }

    public void remove(final int vanIndex, final long mac)
    {
        if (null != entries.remove(LocalFdb.key(vanIndex, mac)))
        {
            version++;
        }
    }

    public boolean isLocal(final int vanIndex, final long mac)
    {
        return entries.containsKey(LocalFdb.key(vanIndex, mac));
    }

    public Entry entry(final int vanIndex, final long mac)
    {
        return entries.get(LocalFdb.key(vanIndex, mac));
    }

    public void removeSlot(final int slot)
    {
        if (entries.values().removeIf(e -> e.slot == slot))
        {
            version++;
        }
    }

    public void removeVan(final int vanIndex)
    {
        if (entries.values().removeIf(e -> e.vanIndex == vanIndex))
        {
            version++;
        }
    }

    /** @return a number that changes whenever an entry is added, moved or removed. */
    public long version()
    {
        return version;
    }

    public int size()
    {
        return entries.size();
    }

    public List<Entry> entries()
    {
        final List<Entry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparingInt(Entry::vanIndex).thenComparingLong(Entry::mac));
        return list;
    }

    public record Entry(int vanIndex, long mac, int slot, int generation, long learnedAtMs)
    {
    }
}
