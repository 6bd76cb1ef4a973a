package io.vanswitch.control.overlay;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;

/**
 * This host's claims on its local MACs: per (VAN id, MAC) the mobility sequence this host puts in
 * the LEARN signals it sends for that MAC, and the arbiter between those claims and the remote ones
 * in {@link RemoteRoutes} (compare EVPN MAC mobility, RFC 7432 section 15.1).
 * <p>
 * A (VAN, MAC) is either local here or routed to a remote host, never both: learning a MAC locally
 * removes its remote route, and a remote claim that beats the local one removes the local claim and
 * installs the route. So the highest sequence this host has seen for a MAC is always the one it
 * holds now, local or remote, and a MAC that arrives by migration takes that sequence plus one.
 * <p>
 * What this does not know: the sequence of a MAC this host never had a route for. A VM that
 * migrates here from a host this host never talked to starts at {@link MobilitySequence#INITIAL}
 * and may lose to stale routes elsewhere; those heal through UNLEARN (the old host answers
 * misrouted DATA with UNLEARN, the sender floods, this host answers with LEARN), not through the
 * sequence. Sequences order concurrent claims; UNLEARN guarantees the end state.
 * <p>
 * Single writer: owned by the control thread, not thread-safe.
 */
public final class LocalMobility
{
    /** From {@link #sequenceOf} when the MAC is not local here. */
    public static final long NOT_LOCAL = -1L;

    private final int self;
    private final RemoteRoutes routes;
    /** VAN id to (MAC to sequence as an unsigned 32-bit value); missing is {@link #NOT_LOCAL}. */
    private final Int2ObjectHashMap<Long2LongHashMap> sequencesByVan = new Int2ObjectHashMap<>();
    private int size;

    /**
     * @param self   this host's underlay address: the duplicate tie-break compares it with the peer's.
     * @param routes the remote routes this host keeps, which local claims displace.
     */
    public LocalMobility(final int self, final RemoteRoutes routes)
    {
        this.self = HostAddress.requireHost(self);
        this.routes = routes;
    }

    /**
     * The PMDs learned the MAC on a local port (a VM started, or arrived by migration).
     *
     * @return the claim: the sequence to put in LEARN signals for the MAC from now on, and whether
     * the VAN's members should be told at once.
     */
    public LocalClaim onLocalLearn(final int van, final long mac)
    {
        RemoteRoutes.requireUnicast(mac);
        final long current = sequenceOf(van, mac);
        if (NOT_LOCAL != current)
        {
            return new LocalClaim(ClaimKind.ALREADY_LOCAL, (int)current, HostAddress.NONE);
        }
        final RemoteRoutes.Route route = routes.find(van, mac);
        final LocalClaim claim;
        if (null == route)
        {
            claim = new LocalClaim(ClaimKind.NEW, MobilitySequence.INITIAL, HostAddress.NONE);
        }
        else
        {
            claim = new LocalClaim(ClaimKind.MIGRATED_HERE, MobilitySequence.next(route.sequence), route.host);
            routes.remove(van, mac);
        }
        putLocal(van, mac, claim.sequence());
        return claim;
    }

    /**
     * The MAC is no longer local: its port went away, or the PMDs flushed it. Its sequence is
     * forgotten; peers that still route to this host for it are answered with UNLEARN.
     *
     * @return true when it was local.
     */
    public boolean onLocalGone(final int van, final long mac)
    {
        final Long2LongHashMap sequences = sequencesByVan.get(van);
        if (null == sequences || NOT_LOCAL == sequences.remove(mac))
        {
            return false;
        }
        if (sequences.isEmpty())
        {
            sequencesByVan.remove(van);
        }
        size--;
        return true;
    }

    /**
     * A LEARN signal from a peer. The way in for every LEARN: when the MAC is local here, the claims
     * are compared first; otherwise (or when the peer's claim wins) it goes on to
     * {@link RemoteRoutes#onLearn}.
     *
     * @throws IllegalArgumentException for a LEARN from this host itself (a decoder drops those).
     */
    public RemoteLearn onRemoteLearn(final int van, final long mac, final int host, final int sequence, final long nowMs)
    {
        if (host == self)
        {
            throw new IllegalArgumentException("a LEARN from this host itself (" + HostAddress.format(host) + ")");
        }
        final long local = sequenceOf(van, mac);
        if (NOT_LOCAL == local)
        {
            return new RemoteLearn(LocalVerdict.NOT_LOCAL, routes.onLearn(van, mac, host, sequence, nowMs));
        }
        final int ours = (int)local;
        final LocalVerdict verdict;
        if (MobilitySequence.isNewer(sequence, ours))
        {
            verdict = LocalVerdict.MOVED_AWAY;
        }
        else if (sequence == ours)
        {
            verdict = HostAddress.isLower(host, self) ? LocalVerdict.LOST_TIE : LocalVerdict.WON_TIE;
        }
        else
        {
            verdict = LocalVerdict.LOCAL_NEWER;
        }
        if (!verdict.localKept())
        {
            onLocalGone(van, mac);
            return new RemoteLearn(verdict, routes.onLearn(van, mac, host, sequence, nowMs));
        }
        return new RemoteLearn(verdict, RemoteRoutes.LearnOutcome.IGNORED_LOCAL);
    }

    /**
     * @return the MAC's sequence as an unsigned 32-bit value, or {@link #NOT_LOCAL}.
     */
    public long sequenceOf(final int van, final long mac)
    {
        final Long2LongHashMap sequences = sequencesByVan.get(van);
        return null == sequences ? NOT_LOCAL : sequences.get(mac);
    }

    public boolean isLocal(final int van, final long mac)
    {
        return NOT_LOCAL != sequenceOf(van, mac);
    }

    /**
     * @return true when the MAC is local here or has a remote route: an UPDATE_ONLY LEARN (a
     * migration announced to a whole VAN) applies only to such MACs, so that hosts keep routes only
     * for conversations their nodes are in.
     */
    public boolean knows(final int van, final long mac)
    {
        return isLocal(van, mac) || HostAddress.NONE != routes.lookup(van, mac);
    }

    /**
     * The VAN was deleted on this host.
     *
     * @return how many local claims were dropped.
     */
    public int removeVan(final int van)
    {
        final Long2LongHashMap sequences = sequencesByVan.remove(van);
        if (null == sequences)
        {
            return 0;
        }
        size -= sequences.size();
        return sequences.size();
    }

    public int size()
    {
        return size;
    }

    private void putLocal(final int van, final long mac, final int sequence)
    {
        Long2LongHashMap sequences = sequencesByVan.get(van);
        if (null == sequences)
        {
            sequences = new Long2LongHashMap(NOT_LOCAL);
            sequencesByVan.put(van, sequences);
        }
        sequences.put(mac, sequence & 0xFFFF_FFFFL);
        size++;
    }

    /** How a MAC came to be local. */
    public enum ClaimKind
    {
        /** Not known here before: sequence {@link MobilitySequence#INITIAL}. */
        NEW,
        /** It had a route to another host: the route is gone and the sequence beats it. */
        MIGRATED_HERE,
        /** Already local: nothing changed. */
        ALREADY_LOCAL
    }

    /**
     * This host's claim on a local MAC.
     *
     * @param sequence     what LEARN signals for the MAC carry from now on.
     * @param previousHost where the route pointed before ({@link ClaimKind#MIGRATED_HERE}), else
     *                     {@link HostAddress#NONE}.
     */
    public record LocalClaim(ClaimKind kind, int sequence, int previousHost)
    {
        /**
         * @return true when the VAN's members should get an update-only LEARN now: this host knew the
         * MAC elsewhere, so routes to that old place are stale and this claim's sequence beats them
         * (and the old host drops its own claim). A {@link ClaimKind#NEW} MAC is not announced: its
         * initial sequence could not beat anything, and would only tie.
         */
        public boolean announce()
        {
            return kind == ClaimKind.MIGRATED_HERE;
        }
    }

    /** What a peer's LEARN meant for a MAC that may be local here. */
    public enum LocalVerdict
    {
        /** The MAC is not local here: the LEARN went to {@link RemoteRoutes#onLearn}. */
        NOT_LOCAL(false, false),
        /** The peer's claim is older than ours: kept; answer the peer with our LEARN so it corrects itself. */
        LOCAL_NEWER(true, false),
        /** Same sequence, this host has the lower address: kept; log a duplicate MAC and answer with our LEARN. */
        WON_TIE(true, true),
        /** The peer's claim is newer: the MAC moved away; remove it from the PMDs' local tables. */
        MOVED_AWAY(false, false),
        /** Same sequence, the peer has the lower address: as {@link #MOVED_AWAY}, and log a duplicate MAC. */
        LOST_TIE(false, true);

        private final boolean localKept;
        private final boolean duplicate;

        LocalVerdict(final boolean localKept, final boolean duplicate)
        {
            this.localKept = localKept;
            this.duplicate = duplicate;
        }

        /** @return true when the MAC stays local here. */
        public boolean localKept()
        {
            return localKept;
        }

        /** @return true when the peer and this host claimed the MAC with the same sequence. */
        public boolean duplicate()
        {
            return duplicate;
        }
    }

    /**
     * @param local what happened to this host's claim.
     * @param route what happened to the remote route ({@link RemoteRoutes.LearnOutcome#IGNORED_LOCAL}
     *              when this host's claim was kept).
     */
    public record RemoteLearn(LocalVerdict local, RemoteRoutes.LearnOutcome route)
    {
    }
}
