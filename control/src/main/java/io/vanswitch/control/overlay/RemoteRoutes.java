package io.vanswitch.control.overlay;

import io.vanswitch.dataplane.frame.MacAddress;
import org.agrona.collections.Int2IntCounterMap;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where remote MACs live: per (VAN id, MAC) the peer host that last claimed it with a LEARN signal,
 * the claim's mobility sequence, when this host learned it and how often it was used. Each signal
 * returns an outcome the caller acts on (publish a forwarding change, log a duplicate MAC, count a
 * stale signal); this class does no I/O.
 * <p>
 * Ordering of claims: a higher sequence ({@link MobilitySequence#isNewer}) wins; an equal sequence
 * from another host is a duplicate MAC, settled the same way on every host (the lower address wins,
 * {@link HostAddress#isLower}) and reported; a lower sequence is stale and ignored.
 * <p>
 * No aging: a route never expires because time passed. It leaves only by a signal (an UNLEARN from
 * the host it points at, a newer LEARN elsewhere, this host learning the MAC locally through
 * {@link LocalMobility}), by health ({@link #onPeerDown}) or by explicit removal ({@link #remove},
 * {@link #removeVan}). Ethernet's timeout-based unlearning is what the paper's signals replace.
 * <p>
 * Bounded: at most {@code capacity} routes; a LEARN for a new MAC beyond that is refused (counted
 * by the caller), while known MACs still move, so a misbehaving peer cannot grow this without limit.
 * <p>
 * Single writer: owned by the control thread, not thread-safe. The PMD threads never read it.
 */
public final class RemoteRoutes
{
    public static final int DEFAULT_CAPACITY = 1 << 20;

    private final int capacity;
    private final Int2ObjectHashMap<Long2ObjectHashMap<Route>> routesByVan = new Int2ObjectHashMap<>();
    /** Routes per host; a host whose count drops to zero leaves the map. */
    private final Int2IntCounterMap routeCountByHost = new Int2IntCounterMap(0);
    private int size;

    public RemoteRoutes()
    {
        this(DEFAULT_CAPACITY);
    }

    public RemoteRoutes(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * A LEARN signal: {@code host} says the MAC lives there, with this mobility sequence.
     *
     * @throws IllegalArgumentException for values a signal decoder must have dropped: host 0.0.0.0,
     * a MAC that is not a 48-bit unicast address.
     */
    public LearnOutcome onLearn(final int van, final long mac, final int host, final int sequence, final long nowMs)
    {
        HostAddress.requireHost(host);
        requireUnicast(mac);
        Long2ObjectHashMap<Route> routes = routesByVan.get(van);
        final Route route = null == routes ? null : routes.get(mac);
        if (null == route)
        {
            if (size >= capacity)
            {
                return LearnOutcome.REFUSED_FULL;
            }
            if (null == routes)
            {
                routes = new Long2ObjectHashMap<>();
                routesByVan.put(van, routes);
            }
            routes.put(mac, new Route(van, mac, host, sequence, nowMs));
            size++;
            routeCountByHost.incrementAndGet(host);
            return LearnOutcome.INSTALLED;
        }

        if (route.host == host)
        {
            if (MobilitySequence.isNewer(sequence, route.sequence))
            {
                route.sequence = sequence;
                return LearnOutcome.SEQUENCE_RAISED;
            }
            // a lower sequence from the same host (it restarted and forgot): the location is the same
            return sequence == route.sequence ? LearnOutcome.UNCHANGED : LearnOutcome.IGNORED_STALE;
        }
        if (MobilitySequence.isNewer(sequence, route.sequence))
        {
            move(route, host, sequence, nowMs);
            return LearnOutcome.MOVED;
        }
        if (sequence == route.sequence)
        {
            if (HostAddress.isLower(host, route.host))
            {
                move(route, host, sequence, nowMs);
                return LearnOutcome.DUPLICATE_MOVED;
            }
            return LearnOutcome.DUPLICATE_KEPT;
        }
        return LearnOutcome.IGNORED_STALE;
    }

    private void move(final Route route, final int host, final int sequence, final long nowMs)
    {
        routeCountByHost.decrementAndGet(route.host);
        routeCountByHost.incrementAndGet(host);
        route.host = host;
        route.sequence = sequence;
        route.learnedAtMs = nowMs;
        route.hits = 0;
    }

    /**
     * An UNLEARN signal: {@code host} says it does not serve the MAC. Only a route that points at that
     * host goes; an UNLEARN from a MAC's old location must not delete the route to its new one.
     */
    public UnlearnOutcome onUnlearn(final int van, final long mac, final int host)
    {
        final Route route = find(van, mac);
        if (null == route)
        {
            return UnlearnOutcome.UNKNOWN;
        }
        if (route.host != host)
        {
            return UnlearnOutcome.IGNORED_OTHER_HOST;
        }
        removeRoute(route);
        return UnlearnOutcome.REMOVED;
    }

    /**
     * Health declared {@code host} down (or restarted): every route through it goes.
     *
     * @return how many routes were removed.
     */
    public int onPeerDown(final int host)
    {
        if (routeCountByHost.get(host) == 0)
        {
            return 0;
        }
        final int before = size;
        final IntArrayList emptiedVans = new IntArrayList();
        final Int2ObjectHashMap<Long2ObjectHashMap<Route>>.KeyIterator vans = routesByVan.keySet().iterator();
        while (vans.hasNext())
        {
            final int van = vans.nextInt();
            final Long2ObjectHashMap<Route> routes = routesByVan.get(van);
            removeIf(routes, route -> route.host == host);
            if (routes.isEmpty())
            {
                emptiedVans.addInt(van);
            }
        }
        for (int i = 0; i < emptiedVans.size(); i++)
        {
            routesByVan.remove(emptiedVans.getInt(i));
        }
        return before - size;
    }

    private void removeIf(final Long2ObjectHashMap<Route> routes, final Predicate<Route> condition)
    {
        routes.values().removeIf(route ->
        {
            if (condition.test(route))
            {
                size--;
                routeCountByHost.decrementAndGet(route.host);
                return true;
            }
            return false;
        });
    }

    /**
     * Removes one route, whatever host it points at: this host learned the MAC locally, or an
     * operator asked.
     *
     * @return true when there was a route.
     */
    public boolean remove(final int van, final long mac)
    {
        final Route route = find(van, mac);
        if (null == route)
        {
            return false;
        }
        removeRoute(route);
        return true;
    }

    /**
     * The VAN was deleted on this host.
     *
     * @return how many routes were removed.
     */
    public int removeVan(final int van)
    {
        final Long2ObjectHashMap<Route> routes = routesByVan.remove(van);
        if (null == routes)
        {
            return 0;
        }
        final int removed = routes.size();
        removeIf(routes, route -> true);
        return removed;
    }

    private void removeRoute(final Route route)
    {
        final Long2ObjectHashMap<Route> routes = routesByVan.get(route.van);
        routes.remove(route.mac);
        if (routes.isEmpty())
        {
            routesByVan.remove(route.van);
        }
        size--;
        routeCountByHost.decrementAndGet(route.host);
    }

    /**
     * @return the host the MAC lives at, or {@link HostAddress#NONE} when no route is known.
     */
    public int lookup(final int van, final long mac)
    {
        final Route route = find(van, mac);
        return null == route ? HostAddress.NONE : route.host;
    }

    /**
     * @return the route's mobility sequence as an unsigned 32-bit value, or -1 when no route is known
     * (a proxy answers for the MACs it routes to the other side with their sequence).
     */
    public long sequenceOf(final int van, final long mac)
    {
        final Route route = find(van, mac);
        return null == route ? -1L : route.sequence & 0xFFFF_FFFFL;
    }

    /**
     * Counts a use of the route (shown by {@code vanctl}; a route nobody uses is a candidate for an
     * operator to look at, never for silent aging).
     *
     * @return true when the route exists.
     */
    public boolean recordHit(final int van, final long mac)
    {
        final Route route = find(van, mac);
        if (null == route)
        {
            return false;
        }
        route.hits++;
        return true;
    }

    /**
     * @return how many routes point at the host: health checks the hosts this host depends on.
     */
    public int routesVia(final int host)
    {
        return routeCountByHost.get(host);
    }

    /**
     * @return every host at least one route points at, in address order: the peers to health-check.
     */
    public int[] hosts()
    {
        final IntArrayList hosts = new IntArrayList(routeCountByHost.size(), IntArrayList.DEFAULT_NULL_VALUE);
        routeCountByHost.forEach((host, count) -> hosts.addInt(host));
        return HostAddress.sortUnsigned(hosts.toIntArray());
    }

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return every route for display, ordered by VAN then MAC.
     */
    public List<Entry> entries(final long nowMs)
    {
        final List<Entry> entries = new ArrayList<>(size);
        for (final Long2ObjectHashMap<Route> routes : routesByVan.values())
        {
            for (final Route route : routes.values())
            {
                entries.add(new Entry(route.van, route.mac, route.host, route.sequence, nowMs - route.learnedAtMs, route.hits));
            }
        }
        entries.sort(Comparator.comparingInt(Entry::van).thenComparingLong(Entry::mac));
        return entries;
    }

    /**
     * @return the live route, or null; for {@link LocalMobility} only, which must not keep it.
     */
    Route find(final int van, final long mac)
    {
        final Long2ObjectHashMap<Route> routes = routesByVan.get(van);
        return null == routes ? null : routes.get(mac);
    }

    static void requireUnicast(final long mac)
    {
        if ((mac & ~MacAddress.MASK) != 0 || MacAddress.isGroup(mac) || MacAddress.isZero(mac))
        {
            throw new IllegalArgumentException("not a unicast MAC: 0x" + Long.toHexString(mac));
        }
    }

    /** What a LEARN did. */
    public enum LearnOutcome
    {
        /** A new route: publish it to the PMDs. */
        INSTALLED(true, false),
        /** A newer claim from another host: the route moved there; publish it. */
        MOVED(true, false),
        /** The same host with a newer sequence: forwarding unchanged. */
        SEQUENCE_RAISED(false, false),
        /** The same host and sequence again: nothing to do. */
        UNCHANGED(false, false),
        /** An older claim than the route's: ignored (count it). */
        IGNORED_STALE(false, false),
        /** Another host claims the MAC with the same sequence and has the lower address: the route moved there. Log a duplicate MAC. */
        DUPLICATE_MOVED(true, true),
        /** Another host claims the MAC with the same sequence but the route's host has the lower address: kept. Log a duplicate MAC. */
        DUPLICATE_KEPT(false, true),
        /** The MAC is local here and this host's claim wins (from {@link LocalMobility} only): no route. */
        IGNORED_LOCAL(false, false),
        /** A new MAC while the table holds {@code capacity} routes: refused (count it). */
        REFUSED_FULL(false, false);

        private final boolean changesForwarding;
        private final boolean duplicate;

        LearnOutcome(final boolean changesForwarding, final boolean duplicate)
        {
            this.changesForwarding = changesForwarding;
            this.duplicate = duplicate;
        }

        /** @return true when the MAC's host changed: the PMDs must be told. */
        public boolean changesForwarding()
        {
            return changesForwarding;
        }

        /** @return true when two hosts claimed the MAC with the same sequence. */
        public boolean duplicate()
        {
            return duplicate;
        }
    }

    /** What an UNLEARN did. */
    public enum UnlearnOutcome
    {
        /** The route pointed at the signalling host and is gone: publish the removal (the PMDs flood again). */
        REMOVED,
        /** The route points at another host (the MAC moved on): kept. */
        IGNORED_OTHER_HOST,
        /** No route for the MAC. */
        UNKNOWN
    }

    /** One route for display. */
    public record Entry(int van, long mac, int host, int sequence, long ageMs, long hits)
    {
    }

    /** The mutable record behind a route; never leaves the package. */
    static final class Route
    {
        final int van;
        final long mac;
        int host;
        int sequence;
        long learnedAtMs;
        long hits;

        Route(final int van, final long mac, final int host, final int sequence, final long learnedAtMs)
        {
            this.van = van;
            this.mac = mac;
            this.host = host;
            this.sequence = sequence;
            this.learnedAtMs = learnedAtMs;
        }
    }
}
