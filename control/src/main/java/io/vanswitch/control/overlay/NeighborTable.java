package io.vanswitch.control.overlay;

import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Underlay neighbours: the MAC of each peer host or gateway the switch has seen in ARP, and static
 * entries an operator configured, which ARP never overrides. Control thread only.
 */
public final class NeighborTable
{
    private final Int2ObjectHashMap<Entry> entries = new Int2ObjectHashMap<>();

    public record Entry(int ip, long mac, boolean isStatic, long updatedAtMs)
    {
    }

    /** An ARP-learned binding; ignored for an address with a static entry. @return true when it changed. */
    public boolean learned(final int ip, final long mac, final long nowMs)
    {
        final Entry existing = entries.get(ip);
        if (null != existing && existing.isStatic())
        {
            return false;
        }
        final boolean changed = null == existing || existing.mac() != mac;
        entries.put(ip, new Entry(ip, mac, false, nowMs));
        return changed;
    }

    public void addStatic(final int ip, final long mac, final long nowMs)
    {
        entries.put(ip, new Entry(ip, mac, true, nowMs));
    }

    /** @return whether a static entry was removed. */
    public boolean removeStatic(final int ip)
    {
        final Entry existing = entries.get(ip);
        if (null == existing || !existing.isStatic())
        {
            return false;
        }
        entries.remove(ip);
        return true;
    }

    /** @return the MAC, or MacAddress.NONE when unknown. */
    public long lookup(final int ip)
    {
        final Entry entry = entries.get(ip);
        return null == entry ? MacAddress.NONE : entry.mac();
    }

    public List<Entry> entries()
    {
        final List<Entry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparingLong(e -> e.ip() & 0xFFFF_FFFFL));
        return list;
    }

    public List<Entry> staticEntries()
    {
        return entries().stream().filter(Entry::isStatic).toList();
    }

    public static String describe(final Entry entry)
    {
        return Ipv4Address.format(entry.ip()) + " " + MacAddress.format(entry.mac()) + (entry.isStatic() ? " static" : "");
    }
}
