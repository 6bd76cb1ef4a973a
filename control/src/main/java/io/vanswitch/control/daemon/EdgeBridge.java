package io.vanswitch.control.daemon;

import io.vanswitch.control.config.UnderlaySpec;
import io.vanswitch.control.overlay.HostAddress;
import io.vanswitch.control.overlay.LocalMobility;
import io.vanswitch.control.overlay.Membership;
import io.vanswitch.control.overlay.NeighborTable;
import io.vanswitch.control.overlay.RemoteRoutes;
import io.vanswitch.control.overlay.SignalCodec;
import io.vanswitch.control.overlay.SignalRateLimiter;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import io.vanswitch.dataplane.pmd.PmdProxy;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

/**
 * This host's edge bridge towards the site (paper IV-B, IV-C), on the control thread: the site's
 * peer hosts and their outer header templates, VAN membership by ANNOUNCE (so floods go only to
 * the hosts that serve the VAN), and the learning signals: a FLOOD that found its destination here
 * is answered with LEARN, a LEARN installs a remote route in the PMDs, DATA for a MAC that is not
 * here is answered with UNLEARN, which removes the route at the sender. See docs/protocol.md.
 */
public final class EdgeBridge
{
    private static final long ANNOUNCE_INTERVAL_MS = 1_000;
    private static final long RESOLVE_INTERVAL_MS = 500;
    /**
     * Neighbour changes resolve the peers again at most this often: each resolve asks (ARP) for every
     * peer still unresolved, and a host flapping its MAC must not turn that into a storm.
     */
    private static final long MIN_RESOLVE_SPACING_MS = 20;
    private static final long HEALTH_INTERVAL_MS = 100;
    /** With probes every 100 ms, a silent peer is declared down within 1 s. */
    public static final long DEFAULT_HEALTH_TIMEOUT_MS = 800;

    private final UnderlaySpec underlay;
    private final long underlayMac;
    private final List<PmdProxy> pmds;
    private final NeighborTable neighbors;
    private final IntUnaryOperator vanIndexOf;
    private final LocalMacs localMacs;

    /** The conductor's side of local MACs: what the control view knows of them. */
    public interface LocalMacs
    {
        /** A local MAC moved to another host (its claim lost): forget it locally. */
        void movedAway(int van, long mac);

        /** @return true when the MAC is local in the control view (a PMD learned it). */
        boolean isLocal(int van, long mac);

        /** Tells every PMD again of a local MAC (a lost learn copy would make the underlay PMD deny it). */
        void reassert(int van, long mac);
    }
    private final Membership membership;
    private final RemoteRoutes routes = new RemoteRoutes();
    private final LocalMobility mobility;
    private final SignalRateLimiter limiter = new SignalRateLimiter();
    private final Map<Integer, Integer> edgeIndexByPeer = new LinkedHashMap<>();
    private final Map<Integer, byte[]> templateByPeer = new HashMap<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    public static final int VAN_LEARN_SENT = 0;
    public static final int VAN_LEARN_RECEIVED = 1;
    public static final int VAN_UNLEARN_SENT = 2;
    public static final int VAN_UNLEARN_RECEIVED = 3;
    private static final long[] NO_SIGNALS = new long[4];
    private final Map<Integer, long[]> signalsByVan = new HashMap<>();
    private final Map<Integer, PeerHealth> health = new HashMap<>();
    private final List<io.vanswitch.control.config.StaticRouteSpec> staticRoutes = new ArrayList<>();
    private final long incarnation = System.nanoTime() ^ System.currentTimeMillis() << 20;
    private long healthTimeoutMs = DEFAULT_HEALTH_TIMEOUT_MS;
    private long nextHealthMs;
    private long version;

    /** What health knows of one peer: when it was last heard, whether it is down, the last round trip. */
    private static final class PeerHealth
    {
        long lastHeardMs;
        boolean heard;
        boolean down;
        long incarnation;
        long rttNanos = -1;
        long downEvents;
    }
    private long nextAnnounceMs;
    private long nextResolveMs;
    private long lastResolveMs = Long.MIN_VALUE / 2;

    /**
     * Peer proxies (federation links) stand in the routes as hosts with addresses in 240.0.0.0/8,
     * reserved and never a site host's: a route "behind link 3" is host 240.0.0.3. Their real
     * addresses are public ones, on the other side of the proxy, and never reach the site.
     */
    public static final int LINK_HOST_BASE = 0xF000_0000;
    private final Map<String, Link> linksByName = new LinkedHashMap<>();
    private final Map<Integer, Link> linksByHost = new HashMap<>();
    private LinkSender linkSender = (link, signal) -> false;

    /** Sends a signal (from its VAN header on) to a peer proxy over their TLS session. */
    public interface LinkSender
    {
        /** @return false when the session is not up or its queue is full. */
        boolean send(String link, byte[] signal);
    }

    /** A peer proxy as the edge bridge sees it: an edge of every VAN it maps, reached over the public port. */
    private static final class Link
    {
        final String name;
        final int number;
        final int host;
        int publicIp;
        byte[] template;
        final Map<Integer, Integer> remoteByLocal = new HashMap<>();
        final Map<Integer, Integer> localByRemote = new HashMap<>();

        Link(final String name, final int number)
        {
            this.name = name;
            this.number = number;
            this.host = LINK_HOST_BASE | number;
        }
    }

    public EdgeBridge(
        final UnderlaySpec underlay,
        final long underlayMac,
        final List<PmdProxy> pmds,
        final NeighborTable neighbors,
        final IntUnaryOperator vanIndexOf,
        final LocalMacs localMacs,
        final long nowMs)
    {
        this.localMacs = localMacs;
        this.underlay = underlay;
        this.underlayMac = underlayMac;
        this.pmds = pmds;
        this.neighbors = neighbors;
        this.vanIndexOf = vanIndexOf;
        this.membership = new Membership(underlay.ip(), nowMs << 16);
        this.mobility = new LocalMobility(underlay.ip(), routes);
    }

    /** Moves whenever the overlay the PMDs need changes: the conductor republishes then. */
    public long version()
    {
        return version;
    }

    // ---- configuration ----

    public void setPeers(final List<Integer> peers)
    {
        final Set<Integer> wanted = new TreeSet<>(peers);
        edgeIndexByPeer.keySet().removeIf(peer ->
        {
            if (!isLinkHost(peer) && !wanted.contains(peer))
            {
                routes.onPeerDown(peer);
                membership.onPeerDown(peer);
                templateByPeer.remove(peer);
                health.remove(peer);
                return true;
            }
            return false;
        });
        for (final int peer : peers)
        {
            if (!edgeIndexByPeer.containsKey(peer) && peer != underlay.ip())
            {
                edgeIndexByPeer.put(peer, freeEdgeIndex());
            }
        }
        version++;
        nextAnnounceMs = 0;
        nextResolveMs = 0;
    }

    /**
     * A neighbour was added, changed or removed: the peers' next hops are resolved again at the next
     * tick rather than up to RESOLVE_INTERVAL_MS later (but not within MIN_RESOLVE_SPACING_MS of
     * the last resolve). Until a peer's outer headers are published, the PMDs drop its frames as
     * from an unknown peer and cannot send to it.
     */
    public void onNeighborsChanged()
    {
        nextResolveMs = Math.min(nextResolveMs, lastResolveMs + MIN_RESOLVE_SPACING_MS);
    }

    private int freeEdgeIndex()
    {
        final Set<Integer> used = new TreeSet<>(edgeIndexByPeer.values());
        int index = 0;
        while (used.contains(index))
        {
            index++;
        }
        return index;
    }

    public static boolean isLinkHost(final int host)
    {
        return (host & 0xFF00_0000) == LINK_HOST_BASE;
    }

    /** The VANs this host serves (those with at least one local port) changed. */
    public void setLocalVans(final Set<Integer> vans)
    {
        boolean changed = false;
        for (final int van : membership.localVans())
        {
            if (!vans.contains(van))
            {
                changed |= membership.localVanRemoved(van);
                routes.removeVan(van);
                mobility.removeVan(van);
            }
        }
        for (final int van : vans)
        {
            changed |= membership.localVanAdded(van);
        }
        if (changed)
        {
            nextAnnounceMs = 0;
            version++;
        }
    }

    /** Static routes (operator's): installed in the PMDs whenever their peer's edge is in the overlay. */
    public void setStaticRoutes(final List<io.vanswitch.control.config.StaticRouteSpec> routes)
    {
        final List<io.vanswitch.control.config.StaticRouteSpec> removed = new ArrayList<>(staticRoutes);
        removed.removeAll(routes);
        for (final io.vanswitch.control.config.StaticRouteSpec route : removed)
        {
            removeFromPmds(route.vanId(), route.mac());
        }
        staticRoutes.clear();
        staticRoutes.addAll(routes);
        version++;
    }

    /** After every publication: the PMDs' sweep may have removed them, and installRemote is idempotent. */
    public void installStaticRoutes()
    {
        for (final io.vanswitch.control.config.StaticRouteSpec route : staticRoutes)
        {
            final int vanIndex = vanIndexOf.applyAsInt(route.vanId());
            final Integer edgeIndex = edgeIndexByPeer.get(route.peer());
            if (vanIndex >= 0 && null != edgeIndex && templateByPeer.containsKey(route.peer()))
            {
                pmds.forEach(pmd -> pmd.installRemote(vanIndex, route.mac(), edgeIndex));
            }
        }
    }

    public List<io.vanswitch.control.config.StaticRouteSpec> staticRoutes()
    {
        return staticRoutes;
    }

    // ---- the duty cycle ----

    /** @return work done. */
    public int tick(final long nowMs)
    {
        int work = 0;
        if (nowMs >= nextResolveMs)
        {
            lastResolveMs = nowMs;
            nextResolveMs = nowMs + RESOLVE_INTERVAL_MS;
            for (final int peer : edgeIndexByPeer.keySet())
            {
                if (isLinkHost(peer))
                {
                    continue;
                }
                final int nextHop = nextHop(peer);
                final long mac = neighbors.lookup(nextHop);
                final byte[] template = MacAddress.NONE == mac ? null :
                    SignalCodec.outerTemplate(underlayMac, mac, underlay.ip(), peer, underlay.udpPort());
                final byte[] previous = templateByPeer.get(peer);
                if (null == template)
                {
                    sendArp(nextHop);
                    work++;
                }
                if (!java.util.Arrays.equals(template, previous))
                {
                    if (null == template)
                    {
                        templateByPeer.remove(peer);
                    }
                    else
                    {
                        templateByPeer.put(peer, template);
                    }
                    version++;
                    nextAnnounceMs = 0;
                }
            }
        }
        if (nowMs >= nextHealthMs)
        {
            nextHealthMs = nowMs + HEALTH_INTERVAL_MS;
            for (final Map.Entry<Integer, byte[]> peer : templateByPeer.entrySet())
            {
                send(SignalCodec.health(peer.getValue(), VanHeaderFlyweight.TYPE_HEALTH, System.nanoTime(), incarnation, underlay.ip()));
                work++;
            }
            for (final Map.Entry<Integer, PeerHealth> entry : health.entrySet())
            {
                final PeerHealth peer = entry.getValue();
                if (peer.heard && !peer.down && nowMs - peer.lastHeardMs > healthTimeoutMs)
                {
                    peerDown(entry.getKey(), "no answer for " + (nowMs - peer.lastHeardMs) + " ms");
                    peer.down = true;
                    peer.downEvents++;
                    work++;
                }
            }
        }
        if (nowMs >= nextAnnounceMs)
        {
            nextAnnounceMs = nowMs + ANNOUNCE_INTERVAL_MS;
            final int[] vans = membership.localVans();
            for (final Map.Entry<Integer, byte[]> peer : templateByPeer.entrySet())
            {
                send(SignalCodec.announce(peer.getValue(), membership.localEpoch(), underlay.ip(), vans));
                count("announce_sent");
                work++;
            }
        }
        return work;
    }

    public void healthTimeoutMs(final long timeoutMs)
    {
        this.healthTimeoutMs = timeoutMs;
    }

    /** A peer stopped answering (or restarted): every route through it goes, and it leaves every VAN's flood list. */
    private void peerDown(final int peer, final String why)
    {
        // the PMDs drop every route through it in one sweep: a down peer's edge leaves the overlay
        final int removed = routes.onPeerDown(peer);
        membership.onPeerDown(peer);
        version++;
        count("peer_down");
        System.out.println("vanswitch: site peer " + Ipv4Address.format(peer) + " down (" + why + "): " + removed + " routes removed");
    }

    /** A host that stopped serving a VAN holds none of its MACs: routes there would only be misrouted. */
    private void dropRoutesOutsideMembership(final int peer)
    {
        final Set<Integer> served = new TreeSet<>();
        for (final int van : membership.announcedVans(peer))
        {
            served.add(van);
        }
        final int withdrawn = withdrawRoutes(route -> route.host() == peer && !served.contains(route.van()));
        if (withdrawn > 0)
        {
            counters.merge("routes_withdrawn", (long)withdrawn, Long::sum);
        }
    }

    /** {@code host} says it does not have the MAC: unless a route to another host stands, the PMDs keep none. */
    private void applyUnlearn(final int van, final long mac, final int host)
    {
        routes.onUnlearn(van, mac, host);
        if (routes.lookup(van, mac) == HostAddress.NONE)
        {
            removeFromPmds(van, mac);
        }
    }

    /** Removes the routes that match, here and in the PMDs; @return how many. */
    private int withdrawRoutes(final java.util.function.Predicate<RemoteRoutes.Entry> which)
    {
        int withdrawn = 0;
        for (final RemoteRoutes.Entry route : routes.entries(0))
        {
            if (which.test(route))
            {
                routes.remove(route.van(), route.mac());
                removeFromPmds(route.van(), route.mac());
                withdrawn++;
            }
        }
        return withdrawn;
    }

    /** The PMDs forget a remote route (frames to the MAC flood again); a local entry stays. */
    private void removeFromPmds(final int van, final long mac)
    {
        final int vanIndex = vanIndexOf.applyAsInt(van);
        if (vanIndex >= 0)
        {
            pmds.forEach(pmd -> pmd.removeRemote(vanIndex, mac));
        }
    }

    /** Any valid signal from a peer shows it alive. */
    private void heard(final int peer, final long nowMs, final long peerIncarnation)
    {
        final PeerHealth state = health.computeIfAbsent(peer, p -> new PeerHealth());
        if (state.heard && peerIncarnation != 0 && state.incarnation != 0 && peerIncarnation != state.incarnation && !state.down)
        {
            // it restarted: whatever it told us before is gone with it, and it needs our set again
            peerDown(peer, "restarted");
            nextAnnounceMs = 0;
        }
        if (peerIncarnation != 0)
        {
            state.incarnation = peerIncarnation;
        }
        state.lastHeardMs = nowMs;
        state.heard = true;
        if (state.down)
        {
            state.down = false;
            nextAnnounceMs = 0;
            version++;
            System.out.println("vanswitch: site peer " + Ipv4Address.format(peer) + " up");
        }
    }

    public List<Map<String, String>> healthRows(final long nowMs)
    {
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final int peer : edgeIndexByPeer.keySet())
        {
            if (isLinkHost(peer))
            {
                continue;
            }
            final PeerHealth state = health.get(peer);
            final Map<String, String> row = new LinkedHashMap<>();
            row.put("peer", Ipv4Address.format(peer));
            row.put("state", null == state || !state.heard ? "unknown" : state.down ? "down" : "up");
            row.put("rtt_us", null == state || state.rttNanos < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", state.rttNanos / 1000.0));
            row.put("last_heard_ms", null == state || !state.heard ? "-" : Long.toString(nowMs - state.lastHeardMs));
            row.put("down_events", null == state ? "0" : Long.toString(state.downEvents));
            row.put("routes", Integer.toString(routes.routesVia(peer)));
            rows.add(row);
        }
        return rows;
    }

    private int nextHop(final int peer)
    {
        return Ipv4Address.sameSubnet(peer, underlay.ip(), underlay.prefixLength()) || underlay.gateway() == Ipv4Address.ANY ?
            peer : underlay.gateway();
    }

    private void sendArp(final int ip)
    {
        final org.agrona.concurrent.UnsafeBuffer frame = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
        final int length = io.vanswitch.dataplane.underlay.ArpRequestWriter.write(frame, underlayMac, underlay.ip(), ip);
        send(java.util.Arrays.copyOf(frame.byteArray(), length));
    }

    private void send(final byte[] frame)
    {
        pmds.get(0).transmitOnUnderlay(frame);
    }

    // ---- what the PMDs saw ----

    /** A local port learned a MAC: claim it; a MAC that migrated here is announced to the VAN. */
    public void onLocalLearn(final int van, final long mac)
    {
        final LocalMobility.LocalClaim claim = mobility.onLocalLearn(van, mac);
        if (claim.announce())
        {
            for (final int peer : membership.floodTargets(van))
            {
                sendLearn(peer, van, mac, SignalCodec.LEARN_FLAG_UPDATE_ONLY, claim.sequence());
            }
            count("migrations_announced");
        }
    }

    public void onLocalGone(final int van, final long mac)
    {
        mobility.onLocalGone(van, mac);
    }

    /** A FLOOD from the peer behind edgeIndex found its destination here: tell the sender (LEARN). */
    public void onFloodForLocal(final int van, final long mac, final int edgeIndex)
    {
        final int peer = peerOf(edgeIndex);
        long sequence = mobility.sequenceOf(van, mac);
        if (sequence == LocalMobility.NOT_LOCAL && !linksByName.isEmpty())
        {
            // a proxy answers for a MAC on the other side of it with the sequence it was told
            final int host = routes.lookup(van, mac);
            if (host != 0 && isLinkHost(host) != isLinkHost(peer))
            {
                sequence = routes.sequenceOf(van, mac);
            }
        }
        if (peer != 0 && sequence != LocalMobility.NOT_LOCAL)
        {
            sendLearn(peer, van, mac, 0, (int)sequence);
        }
    }

    /** DATA from the peer behind edgeIndex for a MAC that is not here: tell the sender (UNLEARN). */
    public void onDataNotHere(final int van, final long mac, final int edgeIndex)
    {
        if (localMacs.isLocal(van, mac))
        {
            // it is here: the PMD that decapsulates missed a learn copy; tell it again, deny nothing
            localMacs.reassert(van, mac);
            count("local_reasserted");
            return;
        }
        final int peer = peerOf(edgeIndex);
        final byte[] template = templateByPeer.get(peer);
        if (isLinkHost(peer))
        {
            final Link link = linksByHost.get(peer);
            if (null != link && limiter.allow(peer, System.nanoTime()) && sendToLink(link, VanHeaderFlyweight.TYPE_UNLEARN, van, mac, 0, 0))
            {
                count("link_unlearn_sent");
                countVan(van, VAN_UNLEARN_SENT);
            }
        }
        else if (null == template)
        {
            count("signal_no_route_to_peer");
        }
        else if (limiter.allow(peer, System.nanoTime()))
        {
            send(SignalCodec.unlearn(template, van, mac, underlay.ip()));
            count("unlearn_sent");
            countVan(van, VAN_UNLEARN_SENT);
        }
        else
        {
            count("signal_rate_limited");
        }
    }

    private void sendLearn(final int peer, final int van, final long mac, final int flags, final int sequence)
    {
        if (isLinkHost(peer))
        {
            final Link link = linksByHost.get(peer);
            if (null != link && sendToLink(link, VanHeaderFlyweight.TYPE_LEARN, van, mac, flags, sequence))
            {
                count("link_learn_sent");
                countVan(van, VAN_LEARN_SENT);
            }
            return;
        }
        final byte[] template = templateByPeer.get(peer);
        if (null == template)
        {
            count("signal_no_route_to_peer");
            return;
        }
        if (!limiter.allow(peer, System.nanoTime()))
        {
            count("signal_rate_limited");
            return;
        }
        send(SignalCodec.learn(template, van, mac, flags, sequence, underlay.ip()));
        count("learn_sent");
        countVan(van, VAN_LEARN_SENT);
    }

    /** A signal from a peer, from its VAN header on. */
    public void onSignal(final int senderIp, final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        if (!edgeIndexByPeer.containsKey(senderIp))
        {
            count("signal_unknown_peer");
            return;
        }
        final int signalType = SignalCodec.type(buffer, offset);
        if (signalType == VanHeaderFlyweight.TYPE_HEALTH || signalType == VanHeaderFlyweight.TYPE_HEALTH_ACK)
        {
            final SignalCodec.Health probe = SignalCodec.readHealth(buffer, offset, length);
            if (null == probe || probe.host() != senderIp)
            {
                count(null == probe ? "signal_short" : "signal_host_mismatch");
                return;
            }
            heard(senderIp, nowMs, probe.incarnation());
            if (signalType == VanHeaderFlyweight.TYPE_HEALTH)
            {
                final byte[] template = templateByPeer.get(senderIp);
                if (null != template)
                {
                    send(SignalCodec.health(template, VanHeaderFlyweight.TYPE_HEALTH_ACK, probe.nonce(), incarnation, underlay.ip()));
                }
            }
            else
            {
                health.get(senderIp).rttNanos = System.nanoTime() - probe.nonce();
            }
            return;
        }
        heard(senderIp, nowMs, 0);
        switch (signalType)
        {
            case VanHeaderFlyweight.TYPE_ANNOUNCE ->
            {
                final SignalCodec.Announce announce = SignalCodec.readAnnounce(buffer, offset, length);
                if (null == announce || announce.host() != senderIp)
                {
                    count(null == announce ? "signal_short" : "signal_host_mismatch");
                    return;
                }
                if (announce.withdraw() || announce.parts() != 1)
                {
                    // WITHDRAW and multi-part sets are not implemented: never mistake one for a whole set
                    count("announce_unsupported");
                    return;
                }
                count("announce_received");
                final long before = membership.targetsVersion();
                membership.onAnnounce(senderIp, announce.epoch(), announce.vans());
                if (membership.targetsVersion() != before)
                {
                    version++;
                    dropRoutesOutsideMembership(senderIp);
                }
            }
            case VanHeaderFlyweight.TYPE_LEARN ->
            {
                final SignalCodec.Learn learn = SignalCodec.readLearn(buffer, offset, length);
                if (null == learn || learn.host() != senderIp)
                {
                    count(null == learn ? "signal_short" : "signal_host_mismatch");
                    return;
                }
                if (MacAddress.isGroup(learn.mac()) || MacAddress.isZero(learn.mac()))
                {
                    count("signal_bad_mac");
                    return;
                }
                count("learn_received");
                countVan(learn.van(), VAN_LEARN_RECEIVED);
                onLearn(learn, nowMs);
            }
            case VanHeaderFlyweight.TYPE_UNLEARN ->
            {
                final SignalCodec.Unlearn unlearn = SignalCodec.readUnlearn(buffer, offset, length);
                if (null == unlearn || unlearn.host() != senderIp)
                {
                    count(null == unlearn ? "signal_short" : "signal_host_mismatch");
                    return;
                }
                if (MacAddress.isGroup(unlearn.mac()) || MacAddress.isZero(unlearn.mac()))
                {
                    count("signal_bad_mac");
                    return;
                }
                count("unlearn_received");
                countVan(unlearn.van(), VAN_UNLEARN_RECEIVED);
                applyUnlearn(unlearn.van(), unlearn.mac(), senderIp);
            }
            default -> count("signal_other");
        }
    }

    private void onLearn(final SignalCodec.Learn learn, final long nowMs)
    {
        if (applyClaim(learn.van(), learn.mac(), learn.flags(), learn.sequence(), learn.host(), nowMs) && !linksByName.isEmpty())
        {
            // a proxy: the MAC lives in this site, behind this proxy as the peer sites see it
            for (final Link link : linksByName.values())
            {
                if (link.remoteByLocal.containsKey(learn.van()) && sendToLink(
                    link, VanHeaderFlyweight.TYPE_LEARN, learn.van(), learn.mac(), learn.flags(), learn.sequence()))
                {
                    count("link_learn_sent");
                }
            }
        }
    }

    /**
     * A claim (LEARN) that the MAC lives at {@code host}, a site peer or a link, with this sequence:
     * compared with a local claim first, then with the route held.
     *
     * @return true when the route now points at {@code host} and is (re)installed in the PMDs.
     */
    private boolean applyClaim(final int van, final long mac, final int flags, final int sequence, final int host, final long nowMs)
    {
        final int vanIndex = vanIndexOf.applyAsInt(van);
        if (vanIndex < 0)
        {
            count("learn_unknown_van");
            return false;
        }
        if ((flags & SignalCodec.LEARN_FLAG_UPDATE_ONLY) != 0 && !mobility.knows(van, mac))
        {
            count("learn_unsolicited");
            return false;
        }
        final LocalMobility.RemoteLearn outcome = mobility.onRemoteLearn(van, mac, host, sequence, nowMs);
        if (outcome.local().localKept())
        {
            // our claim is newer (or wins the tie): answer the claimant with it
            sendLearn(host, van, mac, 0, (int)mobility.sequenceOf(van, mac));
            return false;
        }
        if (!outcome.local().equals(LocalMobility.LocalVerdict.NOT_LOCAL))
        {
            localMacs.movedAway(van, mac);
            count(outcome.local().duplicate() ? "duplicate_mac" : "mac_moved_away");
        }
        // (re)install whenever the route points at the sender: idempotent in the PMDs, and it heals
        // a PMD that lost a command or swept the route
        final Integer edgeIndex = edgeIndexByPeer.get(host);
        if (routes.lookup(van, mac) != host || null == edgeIndex)
        {
            return false;
        }
        pmds.forEach(pmd -> pmd.installRemote(vanIndex, mac, edgeIndex));
        return true;
    }

    private int peerOf(final int edgeIndex)
    {
        for (final Map.Entry<Integer, Integer> e : edgeIndexByPeer.entrySet())
        {
            if (e.getValue() == edgeIndex)
            {
                return e.getKey();
            }
        }
        return 0;
    }

    /** LEARN/UNLEARN sent and received for one VAN (VAN_* indexes). */
    public long[] vanSignals(final int van)
    {
        return signalsByVan.getOrDefault(van, NO_SIGNALS);
    }

    private void countVan(final int van, final int counter)
    {
        signalsByVan.computeIfAbsent(van, v -> new long[4])[counter]++;
    }

    private void count(final String name)
    {
        counters.merge(name, 1L, Long::sum);
    }

    // ---- federation: peer proxies as edges (docs/federation.md) ----

    public void linkSender(final LinkSender sender)
    {
        this.linkSender = sender;
    }

    /**
     * Adds or updates a peer proxy and the VANs it maps (this site's VAN id to the peer site's).
     * A VAN it no longer maps loses the routes through it.
     *
     * @param number the link's number in [0, PmdCounters.MAX_LINKS): its counters and keys in the PMDs.
     */
    public void setLink(final String name, final int number, final int publicIp, final Map<Integer, Integer> remoteByLocal)
    {
        Link link = linksByName.get(name);
        if (null == link)
        {
            link = new Link(name, number);
            linksByName.put(name, link);
            linksByHost.put(link.host, link);
            edgeIndexByPeer.put(link.host, freeEdgeIndex());
        }
        link.publicIp = publicIp;
        final int linkHost = link.host;
        for (final int van : new ArrayList<>(link.remoteByLocal.keySet()))
        {
            if (!remoteByLocal.containsKey(van))
            {
                withdrawRoutes(route -> route.host() == linkHost && route.van() == van);
            }
        }
        link.remoteByLocal.clear();
        link.localByRemote.clear();
        for (final Map.Entry<Integer, Integer> mapping : remoteByLocal.entrySet())
        {
            link.remoteByLocal.put(mapping.getKey(), mapping.getValue());
            link.localByRemote.put(mapping.getValue(), mapping.getKey());
        }
        version++;
    }

    public void removeLink(final String name)
    {
        final Link link = linksByName.remove(name);
        if (null != link)
        {
            linksByHost.remove(link.host);
            edgeIndexByPeer.remove(link.host);
            routes.onPeerDown(link.host);
            version++;
        }
    }

    /**
     * The session to the peer proxy is up and the next hop towards its public address is known: the
     * link joins the overlay (the template: public port's MAC to the next hop's, public address to
     * the peer's, the proxy port both ways).
     */
    public void linkUp(final String name, final byte[] template)
    {
        final Link link = linksByName.get(name);
        if (null != link && !java.util.Arrays.equals(template, link.template))
        {
            link.template = template;
            version++;
        }
    }

    /** The session ended: every route through the peer proxy goes; frames to its MACs flood again. */
    public void linkDown(final String name, final String why)
    {
        final Link link = linksByName.get(name);
        if (null != link && null != link.template)
        {
            link.template = null;
            final int removed = routes.onPeerDown(link.host);
            version++;
            count("link_down");
            System.out.println("vanswitch: peer proxy " + name + " down (" + why + "): " + removed + " routes removed");
        }
    }

    /**
     * A signal from a peer proxy, from its VAN header on: the VAN ids must be a pair the link maps
     * (source the peer's id, destination ours), else it is dropped and counted.
     */
    public void onLinkSignal(final String name, final byte[] signal, final long nowMs)
    {
        final Link link = linksByName.get(name);
        if (null == link || signal.length < VanHeaderFlyweight.HEADER_LENGTH)
        {
            count(null == link ? "link_signal_unknown_link" : "signal_short");
            return;
        }
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(signal);
        final int type = SignalCodec.type(buffer, 0);
        final int sourceVan = buffer.getInt(4, java.nio.ByteOrder.BIG_ENDIAN);
        final int destinationVan = buffer.getInt(8, java.nio.ByteOrder.BIG_ENDIAN);
        final Integer local = link.localByRemote.get(sourceVan);
        if (null == local || local != destinationVan)
        {
            count("link_signal_unmapped_van");
            return;
        }
        switch (type)
        {
            case VanHeaderFlyweight.TYPE_LEARN ->
            {
                final SignalCodec.Learn learn = SignalCodec.readLearn(buffer, 0, signal.length);
                if (null == learn || MacAddress.isGroup(learn.mac()) || MacAddress.isZero(learn.mac()))
                {
                    count(null == learn ? "signal_short" : "signal_bad_mac");
                    return;
                }
                count("link_learn_received");
                countVan(local, VAN_LEARN_RECEIVED);
                onLinkLearn(link, local, learn, nowMs);
            }
            case VanHeaderFlyweight.TYPE_UNLEARN ->
            {
                final SignalCodec.Unlearn unlearn = SignalCodec.readUnlearn(buffer, 0, signal.length);
                if (null == unlearn)
                {
                    count("signal_short");
                    return;
                }
                count("link_unlearn_received");
                countVan(local, VAN_UNLEARN_RECEIVED);
                applyUnlearn(local, unlearn.mac(), link.host);
            }
            default -> count("link_signal_other");
        }
    }

    private void onLinkLearn(final Link link, final int van, final SignalCodec.Learn learn, final long nowMs)
    {
        final int before = routes.lookup(van, learn.mac());
        final boolean wasLocal = mobility.isLocal(van, learn.mac());
        if (applyClaim(van, learn.mac(), learn.flags(), learn.sequence(), link.host, nowMs) &&
            (wasLocal || (before != 0 && !isLinkHost(before))))
        {
            // the MAC left this site for the peer's: the site's hosts that knew it learn it is
            // now behind this proxy, with the newer sequence (the old host gives its claim up)
            for (final int peer : membership.floodTargets(van))
            {
                sendLearn(peer, van, learn.mac(), SignalCodec.LEARN_FLAG_UPDATE_ONLY, learn.sequence());
            }
            count("migrations_announced");
        }
    }

    /** A LEARN or UNLEARN to a peer proxy, with the VAN id translated; false when not sent. */
    private boolean sendToLink(final Link link, final int type, final int van, final long mac, final int flags, final int sequence)
    {
        final Integer remote = link.remoteByLocal.get(van);
        if (null == remote || null == link.template)
        {
            count(null == remote ? "link_signal_unmapped_van" : "link_signal_link_down");
            return false;
        }
        final byte[] signal = type == VanHeaderFlyweight.TYPE_LEARN ?
            SignalCodec.linkLearn(van, remote, mac, flags, sequence) : SignalCodec.linkUnlearn(van, remote, mac);
        if (!linkSender.send(link.name, signal))
        {
            count("link_signal_send_failed");
            return false;
        }
        return true;
    }

    /** The VANs peer proxies map: this proxy serves them in its site (announces them, takes their floods). */
    public Set<Integer> linkedVans()
    {
        final Set<Integer> vans = new TreeSet<>();
        linksByName.values().forEach(link -> vans.addAll(link.remoteByLocal.keySet()));
        return vans;
    }

    /** How a route's host reads for operators: a site host's address, or the peer proxy's name. */
    public String hostLabel(final int host)
    {
        final Link link = isLinkHost(host) ? linksByHost.get(host) : null;
        return null != link ? "proxy:" + link.name : Ipv4Address.format(host);
    }

    public int routesViaLink(final String name)
    {
        final Link link = linksByName.get(name);
        return null == link ? 0 : routes.routesVia(link.host);
    }

    // ---- what the PMDs need, and what operators see ----

    /**
     * @param vanIdByIndex the conductor's VAN index to id map (0 = unused).
     */
    public OverlayTopology overlayTopology(final int[] vanIdByIndex)
    {
        final List<RemoteEdge> edges = new ArrayList<>();
        templateByPeer.forEach((peer, template) ->
        {
            final PeerHealth state = health.get(peer);
            if (null == state || !state.down)
            {
                edges.add(new RemoteEdge(edgeIndexByPeer.get(peer), peer, template));
            }
        });
        // a VAN without local ports is not served here: its frames are unknown_van, its routes swept
        final int[] servedIds = vanIdByIndex.clone();
        for (int i = 0; i < servedIds.length; i++)
        {
            if (servedIds[i] != 0 && !membership.servesLocally(servedIds[i]))
            {
                servedIds[i] = 0;
            }
        }
        final Map<Integer, Map<Integer, Integer>> linkVans = new HashMap<>();
        for (final Link link : linksByName.values())
        {
            if (null == link.template)
            {
                continue;
            }
            final int edgeIndex = edgeIndexByPeer.get(link.host);
            edges.add(new RemoteEdge(edgeIndex, link.publicIp, link.template, link.number));
            final Map<Integer, Integer> byIndex = new HashMap<>();
            link.remoteByLocal.forEach((local, remote) ->
            {
                final int vanIndex = vanIndexOf.applyAsInt(local);
                if (vanIndex >= 0)
                {
                    byIndex.put(vanIndex, remote);
                }
            });
            linkVans.put(edgeIndex, byIndex);
        }
        final Map<Integer, int[]> floodEdges = new HashMap<>();
        for (int vanIndex = 0; vanIndex < servedIds.length; vanIndex++)
        {
            if (servedIds[vanIndex] == 0)
            {
                continue;
            }
            final List<Integer> serving = new ArrayList<>();
            for (final int peer : membership.floodTargets(servedIds[vanIndex]))
            {
                final PeerHealth state = health.get(peer);
                if (templateByPeer.containsKey(peer) && edgeIndexByPeer.containsKey(peer) && (null == state || !state.down))
                {
                    serving.add(edgeIndexByPeer.get(peer));
                }
            }
            for (final Link link : linksByName.values())
            {
                if (null != link.template && link.remoteByLocal.containsKey(servedIds[vanIndex]))
                {
                    serving.add(edgeIndexByPeer.get(link.host));
                }
            }
            floodEdges.put(vanIndex, serving.stream().mapToInt(Integer::intValue).toArray());
        }
        return new OverlayTopology(edges, floodEdges, servedIds, underlay.maxInnerFrame(), linkVans);
    }

    public List<Map<String, String>> peerRows()
    {
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final Map.Entry<Integer, Integer> peer : edgeIndexByPeer.entrySet())
        {
            if (isLinkHost(peer.getKey()))
            {
                continue;
            }
            final Map<String, String> row = new LinkedHashMap<>();
            row.put("ip", Ipv4Address.format(peer.getKey()));
            row.put("edge", Integer.toString(peer.getValue()));
            row.put("next_hop", Ipv4Address.format(nextHop(peer.getKey())));
            row.put("resolved", templateByPeer.containsKey(peer.getKey()) ? "yes" : "no");
            final StringBuilder vans = new StringBuilder();
            for (final int van : membership.announcedVans(peer.getKey()))
            {
                vans.append(vans.isEmpty() ? "" : ",").append(van);
            }
            row.put("vans", vans.isEmpty() ? "-" : vans.toString());
            row.put("routes", Integer.toString(routes.routesVia(peer.getKey())));
            rows.add(row);
        }
        return rows;
    }

    public List<RemoteRoutes.Entry> routes(final long nowMs)
    {
        return routes.entries(nowMs);
    }

    public Map<String, Long> counters()
    {
        return counters;
    }
}
