package io.vanswitch.control.overlay;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

import java.util.Arrays;

/**
 * Which hosts serve which VAN: the broadcast domain each VAN floods to. Peers say what they serve
 * with ANNOUNCE signals (a full set of VAN ids, stamped with the sender's epoch); operators can add
 * static members that announcements cannot remove; this host's own VANs are what it announces.
 * <p>
 * Ordering: a peer's epoch grows with every change of its set (and across its restarts), so an
 * ANNOUNCE replaces the peer's set when its epoch is at least the one held. An equal epoch carries
 * the same set (the sender's invariant), so a repeated or refreshed ANNOUNCE changes nothing, and an
 * older one, delayed on the way, is ignored. A withdrawal names its epoch too, so a withdrawal sent
 * before a re-announce cannot undo it.
 * <p>
 * Nothing here ages: a peer's VANs go only by a newer ANNOUNCE, a withdrawal, health
 * ({@link #onPeerDown}) or the operator.
 * <p>
 * Flood targets: per VAN, the announced and static members except this host, in address order, as
 * an {@code int[]} rebuilt only when that VAN's members change. The same array is returned until
 * then, and a published array is never written again (a change makes a new one), so the control
 * thread can hand it to the PMD threads in its topology and they can read it without a copy.
 * {@link #targetsVersion()} moves whenever any VAN's array was replaced: the caller republishes.
 * <p>
 * Single writer: owned by the control thread, not thread-safe.
 */
public final class Membership
{
    /** Flood targets of a VAN nobody else serves. */
    public static final int[] NO_HOSTS = new int[0];
    private static final int[] NO_VANS = new int[0];
    /** The epoch of a peer never heard from. */
    public static final long NO_EPOCH = Long.MIN_VALUE;

    private final int self;
    private final Int2ObjectHashMap<Peer> peers = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<IntHashSet> announcedMembersByVan = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<int[]> staticMembersByVan = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<int[]> floodTargetsByVan = new Int2ObjectHashMap<>();
    private final IntHashSet localVans = new IntHashSet();
    private long localEpoch;
    private long targetsVersion;

    /**
     * @param self         this host's underlay address: never its own flood target.
     * @param initialEpoch this host's epoch at start: above any epoch it announced before it restarted
     *                     (docs/protocol.md suggests the start time in milliseconds shifted left by 16).
     */
    public Membership(final int self, final long initialEpoch)
    {
        this.self = HostAddress.requireHost(self);
        this.localEpoch = initialEpoch;
    }

    // ---- peers ----

    /**
     * An ANNOUNCE: {@code host} serves exactly {@code vans} as of {@code epoch}. The array is copied.
     */
    public AnnounceOutcome onAnnounce(final int host, final long epoch, final int[] vans)
    {
        HostAddress.requireHost(host);
        if (host == self)
        {
            return AnnounceOutcome.IGNORED_SELF;
        }
        final Peer peer = peers.get(host);
        if (null != peer && epoch < peer.epoch)
        {
            return AnnounceOutcome.IGNORED_OLD;
        }
        final int[] announced = distinctSorted(vans);
        if (null == peer)
        {
            peers.put(host, new Peer(epoch, announced));
            for (final int van : announced)
            {
                addAnnounced(van, host);
            }
            return AnnounceOutcome.APPLIED;
        }
        final int[] previous = peer.vans;
        peer.epoch = epoch;
        if (Arrays.equals(previous, announced))
        {
            return AnnounceOutcome.UNCHANGED;
        }
        peer.vans = announced;
        for (final int van : previous)
        {
            if (Arrays.binarySearch(announced, van) < 0)
            {
                removeAnnounced(van, host);
            }
        }
        for (final int van : announced)
        {
            if (Arrays.binarySearch(previous, van) < 0)
            {
                addAnnounced(van, host);
            }
        }
        return AnnounceOutcome.APPLIED;
    }

    /**
     * A withdrawal: {@code host} does not serve {@code van} as of {@code epoch} (it answered a frame
     * of that VAN, or an ANNOUNCE carried the withdraw flag). Ignored when older than the set held.
     * The epoch held does not move: the rest of the set is still only as new as its ANNOUNCE, so the
     * next refresh of a newer epoch still applies.
     *
     * @return true when the host was a member of the VAN and no longer is.
     */
    public boolean onWithdraw(final int host, final long epoch, final int van)
    {
        final Peer peer = peers.get(host);
        if (null == peer || epoch < peer.epoch)
        {
            return false;
        }
        final int index = Arrays.binarySearch(peer.vans, van);
        if (index < 0)
        {
            return false;
        }
        final int[] remaining = new int[peer.vans.length - 1];
        System.arraycopy(peer.vans, 0, remaining, 0, index);
        System.arraycopy(peer.vans, index + 1, remaining, index, remaining.length - index);
        peer.vans = remaining;
        removeAnnounced(van, host);
        return true;
    }

    /**
     * Health declared {@code host} down: its announced VANs go; static membership stays. Its epoch
     * is kept, so a delayed older ANNOUNCE cannot bring the old set back, while the host's next
     * ANNOUNCE (a refresh of the same epoch, or a newer one after a restart) does.
     *
     * @return how many VANs it no longer serves.
     */
    public int onPeerDown(final int host)
    {
        final Peer peer = peers.get(host);
        if (null == peer)
        {
            return 0;
        }
        final int[] vans = peer.vans;
        peer.vans = NO_VANS;
        for (final int van : vans)
        {
            removeAnnounced(van, host);
        }
        return vans.length;
    }

    /**
     * Sets the configured members of a VAN (an empty array clears them). Static members are flooded to
     * whatever they announce and whatever health says.
     *
     * @return true when the VAN's static members changed.
     */
    public boolean staticOverride(final int van, final int[] hosts)
    {
        for (final int host : hosts)
        {
            HostAddress.requireHost(host);
        }
        final int[] members = HostAddress.sortUnsigned(distinct(hosts));
        final int[] previous = staticMembersByVan.get(van);
        if (Arrays.equals(null == previous ? NO_HOSTS : previous, members))
        {
            return false;
        }
        if (0 == members.length)
        {
            staticMembersByVan.remove(van);
        }
        else
        {
            staticMembersByVan.put(van, members);
        }
        rebuildTargets(van);
        return true;
    }

    /**
     * The hosts a frame flooded in {@code van} goes to, this host excluded, in address order. Do not
     * write to the array: it is shared, and stays the same object until the VAN's members change.
     */
    public int[] floodTargets(final int van)
    {
        final int[] targets = floodTargetsByVan.get(van);
        return null == targets ? NO_HOSTS : targets;
    }

    /** @return a number that changes whenever any VAN's flood targets changed. */
    public long targetsVersion()
    {
        return targetsVersion;
    }

    /** @return the VANs the host announced, in order (for display). */
    public int[] announcedVans(final int host)
    {
        final Peer peer = peers.get(host);
        return null == peer ? NO_VANS : peer.vans.clone();
    }

    /** @return the epoch of the host's ANNOUNCE held, or {@link #NO_EPOCH}. */
    public long epochOf(final int host)
    {
        final Peer peer = peers.get(host);
        return null == peer ? NO_EPOCH : peer.epoch;
    }

    /** @return the configured members of the VAN, in address order (for display). */
    public int[] staticMembers(final int van)
    {
        final int[] members = staticMembersByVan.get(van);
        return null == members ? NO_HOSTS : members.clone();
    }

    // ---- this host ----

    /**
     * This host now serves {@code van} (its first port in the VAN came up, or the VAN was added).
     *
     * @return true when the set changed: send an ANNOUNCE of {@link #localVans()} with
     * {@link #localEpoch()}.
     */
    public boolean localVanAdded(final int van)
    {
        if (!localVans.add(van))
        {
            return false;
        }
        localEpoch++;
        return true;
    }

    /**
     * This host no longer serves {@code van}.
     *
     * @return true when the set changed: send an ANNOUNCE of {@link #localVans()} with
     * {@link #localEpoch()}.
     */
    public boolean localVanRemoved(final int van)
    {
        if (!localVans.remove(van))
        {
            return false;
        }
        localEpoch++;
        return true;
    }

    public boolean servesLocally(final int van)
    {
        return localVans.contains(van);
    }

    /** @return what this host announces, in order. */
    public int[] localVans()
    {
        final int[] vans = new int[localVans.size()];
        final IntHashSet.IntIterator it = localVans.iterator();
        int i = 0;
        while (it.hasNext())
        {
            vans[i++] = it.nextValue();
        }
        Arrays.sort(vans);
        return vans;
    }

    /** @return the epoch of this host's current set: grows with each change. */
    public long localEpoch()
    {
        return localEpoch;
    }

    public int self()
    {
        return self;
    }

    // ---- internals ----

    private void addAnnounced(final int van, final int host)
    {
        IntHashSet members = announcedMembersByVan.get(van);
        if (null == members)
        {
            members = new IntHashSet();
            announcedMembersByVan.put(van, members);
        }
        members.add(host);
        rebuildTargets(van);
    }

    private void removeAnnounced(final int van, final int host)
    {
        final IntHashSet members = announcedMembersByVan.get(van);
        if (null != members && members.remove(host))
        {
            if (members.isEmpty())
            {
                announcedMembersByVan.remove(van);
            }
            rebuildTargets(van);
        }
    }

    /** Recomputes one VAN's targets; keeps the old array when the members came out the same. */
    private void rebuildTargets(final int van)
    {
        final IntArrayList union = new IntArrayList();
        final IntHashSet announced = announcedMembersByVan.get(van);
        if (null != announced)
        {
            final IntHashSet.IntIterator it = announced.iterator();
            while (it.hasNext())
            {
                union.addInt(it.nextValue());
            }
        }
        final int[] configured = staticMembersByVan.get(van);
        if (null != configured)
        {
            for (final int host : configured)
            {
                union.addInt(host);
            }
        }
        final int[] targets = HostAddress.sortUnsigned(distinctExcept(union.toIntArray(), self));
        final int[] previous = floodTargets(van);
        if (Arrays.equals(previous, targets))
        {
            return;
        }
        if (0 == targets.length)
        {
            floodTargetsByVan.remove(van);
        }
        else
        {
            floodTargetsByVan.put(van, targets);
        }
        targetsVersion++;
    }

    private static int[] distinctSorted(final int[] values)
    {
        final int[] sorted = distinct(values);
        Arrays.sort(sorted);
        return sorted;
    }

    private static int[] distinct(final int[] values)
    {
        return Arrays.stream(values).distinct().toArray();
    }

    private static int[] distinctExcept(final int[] values, final int excluded)
    {
        return Arrays.stream(values).filter(v -> v != excluded).distinct().toArray();
    }

    /** What an ANNOUNCE did. */
    public enum AnnounceOutcome
    {
        /** The host's set was new or changed (flood targets may have changed: see {@link #targetsVersion()}). */
        APPLIED,
        /** The same set again (a refresh, a repeat, or a newer epoch with the same VANs). */
        UNCHANGED,
        /** An epoch older than the one held: ignored. */
        IGNORED_OLD,
        /** This host's own ANNOUNCE (looped back by multicast): ignored. */
        IGNORED_SELF
    }

    private static final class Peer
    {
        long epoch;
        int[] vans;

        Peer(final long epoch, final int[] vans)
        {
            this.epoch = epoch;
            this.vans = vans;
        }
    }
}
