package io.vanswitch.control.daemon;

import io.vanswitch.control.config.UnderlaySpec;
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

    private final UnderlaySpec underlay;
    private final long underlayMac;
    private final List<PmdProxy> pmds;
    private final NeighborTable neighbors;
    private final IntUnaryOperator vanIndexOf;
    private final Membership membership;
    private final RemoteRoutes routes = new RemoteRoutes();
    private final LocalMobility mobility;
    private final SignalRateLimiter limiter = new SignalRateLimiter();
    private final Map<Integer, Integer> edgeIndexByPeer = new LinkedHashMap<>();
    private final Map<Integer, byte[]> templateByPeer = new HashMap<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private long version;
    private long nextAnnounceMs;
    private long nextResolveMs;

    public EdgeBridge(
        final UnderlaySpec underlay,
        final long underlayMac,
        final List<PmdProxy> pmds,
        final NeighborTable neighbors,
        final IntUnaryOperator vanIndexOf,
        final long nowMs)
    {
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
            if (!wanted.contains(peer))
            {
                routes.onPeerDown(peer);
                membership.onPeerDown(peer);
                templateByPeer.remove(peer);
                return true;
            }
            return false;
        });
        for (final int peer : peers)
        {
            if (!edgeIndexByPeer.containsKey(peer) && peer != underlay.ip())
            {
                final Set<Integer> used = new TreeSet<>(edgeIndexByPeer.values());
                int index = 0;
                while (used.contains(index))
                {
                    index++;
                }
                edgeIndexByPeer.put(peer, index);
            }
        }
        version++;
        nextAnnounceMs = 0;
        nextResolveMs = 0;
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

    // ---- the duty cycle ----

    /** @return work done. */
    public int tick(final long nowMs)
    {
        int work = 0;
        if (nowMs >= nextResolveMs)
        {
            nextResolveMs = nowMs + RESOLVE_INTERVAL_MS;
            for (final int peer : edgeIndexByPeer.keySet())
            {
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
        if (peer != 0)
        {
            final long sequence = mobility.sequenceOf(van, mac);
            sendLearn(peer, van, mac, 0, sequence == LocalMobility.NOT_LOCAL ? 0 : (int)sequence);
        }
    }

    /** DATA from the peer behind edgeIndex for a MAC that is not here: tell the sender (UNLEARN). */
    public void onDataNotHere(final int van, final long mac, final int edgeIndex)
    {
        final int peer = peerOf(edgeIndex);
        final byte[] template = templateByPeer.get(peer);
        if (null != template && limiter.allow(peer, System.nanoTime()))
        {
            send(SignalCodec.unlearn(template, van, mac, underlay.ip()));
            count("unlearn_sent");
        }
        else
        {
            count("signal_rate_limited");
        }
    }

    private void sendLearn(final int peer, final int van, final long mac, final int flags, final int sequence)
    {
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
    }

    /** A signal from a peer, from its VAN header on. */
    public void onSignal(final int senderIp, final DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        if (!edgeIndexByPeer.containsKey(senderIp))
        {
            count("signal_unknown_peer");
            return;
        }
        switch (SignalCodec.type(buffer, offset))
        {
            case VanHeaderFlyweight.TYPE_ANNOUNCE ->
            {
                final SignalCodec.Announce announce = SignalCodec.readAnnounce(buffer, offset, length);
                if (null == announce || announce.host() != senderIp)
                {
                    count(null == announce ? "signal_short" : "signal_host_mismatch");
                    return;
                }
                count("announce_received");
                final long before = membership.targetsVersion();
                membership.onAnnounce(senderIp, announce.epoch(), announce.vans());
                if (membership.targetsVersion() != before)
                {
                    version++;
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
                count("learn_received");
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
                count("unlearn_received");
                if (routes.onUnlearn(unlearn.van(), unlearn.mac(), senderIp) == RemoteRoutes.UnlearnOutcome.REMOVED)
                {
                    final int vanIndex = vanIndexOf.applyAsInt(unlearn.van());
                    if (vanIndex >= 0)
                    {
                        pmds.forEach(pmd -> pmd.removeRemote(vanIndex, unlearn.mac()));
                    }
                }
            }
            default -> count("signal_other");
        }
    }

    private void onLearn(final SignalCodec.Learn learn, final long nowMs)
    {
        final int vanIndex = vanIndexOf.applyAsInt(learn.van());
        if (vanIndex < 0)
        {
            count("learn_unknown_van");
            return;
        }
        if ((learn.flags() & SignalCodec.LEARN_FLAG_UPDATE_ONLY) != 0 && !mobility.knows(learn.van(), learn.mac()))
        {
            count("learn_unsolicited");
            return;
        }
        final LocalMobility.RemoteLearn outcome = mobility.onRemoteLearn(learn.van(), learn.mac(), learn.host(), learn.sequence(), nowMs);
        if (outcome.local().localKept())
        {
            // our claim is newer (or wins the tie): answer the claimant with it
            sendLearn(learn.host(), learn.van(), learn.mac(), 0, (int)mobility.sequenceOf(learn.van(), learn.mac()));
            return;
        }
        if (null != outcome.route() && outcome.route().changesForwarding())
        {
            final int host = routes.lookup(learn.van(), learn.mac());
            final Integer edgeIndex = edgeIndexByPeer.get(host);
            if (null != edgeIndex)
            {
                pmds.forEach(pmd -> pmd.installRemote(vanIndex, learn.mac(), edgeIndex));
            }
        }
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

    private void count(final String name)
    {
        counters.merge(name, 1L, Long::sum);
    }

    // ---- what the PMDs need, and what operators see ----

    /**
     * @param vanIdByIndex the conductor's VAN index to id map (0 = unused).
     */
    public OverlayTopology overlayTopology(final int[] vanIdByIndex)
    {
        final List<RemoteEdge> edges = new ArrayList<>();
        templateByPeer.forEach((peer, template) -> edges.add(new RemoteEdge(edgeIndexByPeer.get(peer), peer, template)));
        final Map<Integer, int[]> floodEdges = new HashMap<>();
        for (int vanIndex = 0; vanIndex < vanIdByIndex.length; vanIndex++)
        {
            if (vanIdByIndex[vanIndex] == 0)
            {
                continue;
            }
            final List<Integer> serving = new ArrayList<>();
            for (final int peer : membership.floodTargets(vanIdByIndex[vanIndex]))
            {
                if (templateByPeer.containsKey(peer) && edgeIndexByPeer.containsKey(peer))
                {
                    serving.add(edgeIndexByPeer.get(peer));
                }
            }
            floodEdges.put(vanIndex, serving.stream().mapToInt(Integer::intValue).toArray());
        }
        return new OverlayTopology(edges, floodEdges, vanIdByIndex, underlay.maxInnerFrame());
    }

    public List<Map<String, String>> peerRows()
    {
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final Map.Entry<Integer, Integer> peer : edgeIndexByPeer.entrySet())
        {
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
