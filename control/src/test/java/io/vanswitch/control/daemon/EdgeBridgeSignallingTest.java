package io.vanswitch.control.daemon;

import io.vanswitch.control.config.UnderlaySpec;
import io.vanswitch.control.overlay.NeighborTable;
import io.vanswitch.control.overlay.RemoteRoutes;
import io.vanswitch.control.overlay.SignalCodec;
import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.pmd.PmdAgent;
import io.vanswitch.dataplane.pmd.PmdCounters;
import io.vanswitch.dataplane.pmd.PmdProxy;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge bridge's side of the overlay protocol (docs/protocol.md), driven by hand: a real PMD agent
 * over {@link RecordingPacketIo} whose commands run only when the test calls {@code doWork()}, so
 * every signal the bridge sends is read back from what the PMD transmitted, and every route it
 * installs is read back from the PMD's table. Peers A and B have static neighbour entries (resolved
 * on the first tick); peer X has none. VAN 10 is index 0, VAN 20 index 1, VAN 30 index 2.
 */
class EdgeBridgeSignallingTest
{
    private static final int OUR_IP = 0x0A00_0001;
    private static final int PEER_A = 0x0A00_0002;
    private static final int PEER_B = 0x0A00_0003;
    private static final int PEER_X = 0x0A00_0004;
    private static final int STRANGER = 0x0A00_0063;
    private static final long OUR_MAC = 0x5254_0012_3456L;
    private static final long PEER_A_MAC = 0x5254_00AA_0002L;
    private static final long PEER_B_MAC = 0x5254_00BB_0003L;
    private static final int UDP_PORT = UnderlaySpec.DEFAULT_UDP_PORT;
    private static final int VAN_10 = 10;
    private static final int VAN_20 = 20;
    private static final int VAN_30 = 30;
    private static final long MAC = 0x5254_0000_0001L;
    private static final int OUTER = 42;
    private static final int[] VAN_IDS = new int[PmdCounters.MAX_VANS];

    static
    {
        VAN_IDS[0] = VAN_10;
        VAN_IDS[1] = VAN_20;
        VAN_IDS[2] = VAN_30;
    }

    private static final UnderlayBinding UNDERLAY = new UnderlayBinding(
        new PortBinding(PmdCounters.UNDERLAY_SLOT, 1, "underlay", 60, 0, MacAddress.NONE, 0, 0), OUR_MAC, OUR_IP, UDP_PORT);

    private final RecordingPacketIo io = new RecordingPacketIo(32);
    private final PmdAgent agent = new PmdAgent(0, -1, io, 1024);
    private final PmdProxy pmd = new PmdProxy(agent);
    private final NeighborTable neighbors = new NeighborTable();
    private final FakeLocalMacs localMacs = new FakeLocalMacs();
    private EdgeBridge bridge;

    /** What the conductor's control view would answer, and what the bridge asked of it. */
    private static final class FakeLocalMacs implements EdgeBridge.LocalMacs
    {
        final Set<Long> local = new HashSet<>();
        final List<Long> movedAway = new ArrayList<>();
        final List<Long> reasserted = new ArrayList<>();

        public void movedAway(final int van, final long mac)
        {
            movedAway.add(mac);
        }

        public boolean isLocal(final int van, final long mac)
        {
            return local.contains(mac);
        }

        public void reassert(final int van, final long mac)
        {
            reasserted.add(mac);
        }
    }

    /** One frame the PMD put on the underlay. */
    private record Sent(byte[] bytes)
    {
        UnsafeBuffer buffer()
        {
            return new UnsafeBuffer(bytes);
        }

        boolean isArp()
        {
            return buffer().getShort(12, ByteOrder.BIG_ENDIAN) == (short)EthernetFlyweight.ETHER_TYPE_ARP;
        }

        int type()
        {
            return isArp() ? -1 : SignalCodec.type(buffer(), OUTER);
        }

        long destinationMac()
        {
            final UnsafeBuffer b = buffer();
            return ((b.getInt(0, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 16) | (b.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFFL);
        }

        int destinationIp()
        {
            return buffer().getInt(30, ByteOrder.BIG_ENDIAN);
        }

        int arpTargetIp()
        {
            return buffer().getInt(38, ByteOrder.BIG_ENDIAN);
        }

        SignalCodec.Announce announce()
        {
            return SignalCodec.readAnnounce(buffer(), OUTER, bytes.length - OUTER);
        }

        SignalCodec.Learn learn()
        {
            return SignalCodec.readLearn(buffer(), OUTER, bytes.length - OUTER);
        }

        SignalCodec.Unlearn unlearn()
        {
            return SignalCodec.readUnlearn(buffer(), OUTER, bytes.length - OUTER);
        }

        SignalCodec.Health health()
        {
            return SignalCodec.readHealth(buffer(), OUTER, bytes.length - OUTER);
        }
    }

    @BeforeEach
    void setUp()
    {
        neighbors.addStatic(PEER_A, PEER_A_MAC, 0);
        neighbors.addStatic(PEER_B, PEER_B_MAC, 0);
        bridge = new EdgeBridge(
            new UnderlaySpec("net_null0", OUR_IP, 24, 0, UDP_PORT, UnderlaySpec.DEFAULT_MTU),
            OUR_MAC, List.of(pmd), neighbors, EdgeBridgeSignallingTest::vanIndexOf, localMacs, 1);
        publish(); // the underlay is this PMD's before anything is sent
    }

    @AfterEach
    void tearDown()
    {
        drain();
        assertEquals(0, io.mbufsInUse(), "every mbuf the PMD allocated for a signal was sent and freed");
        io.close();
    }

    private static int vanIndexOf(final int van)
    {
        return switch (van)
        {
            case VAN_10 -> 0;
            case VAN_20 -> 1;
            case VAN_30 -> 2;
            default -> -1;
        };
    }

    @Test
    void aNeighbourAddedForAPeerGivesItOuterHeadersAtTheNextTickNotHalfASecondLater()
    {
        bridge.setPeers(List.of(PEER_X));
        bridge.tick(1_000);
        assertTrue(sent().stream().anyMatch(f -> f.isArp() && f.arpTargetIp() == PEER_X), "no neighbour yet: asked for it");
        final long unresolved = bridge.version();

        // 100 ms later (the next resolve is due at 1_500): until the PMDs get the peer's outer
        // headers they drop its frames as from an unknown peer
        neighbors.addStatic(PEER_X, 0x5254_00CC_0004L, 1_100);
        bridge.onNeighborsChanged();
        bridge.tick(1_100);

        assertTrue(bridge.version() > unresolved, "the peer's outer headers are published at once");
        publish();
        assertTrue(sent().stream().anyMatch(f -> !f.isArp() && f.destinationIp() == PEER_X), "and it is spoken to");
    }

    @Test
    void aFlappingNeighbourDoesNotTurnIntoAnArpStormForAnUnresolvedPeer()
    {
        bridge.setPeers(List.of(PEER_X));
        bridge.tick(1_000);
        assertEquals(1, sent().stream().filter(f -> f.isArp() && f.arpTargetIp() == PEER_X).count());

        // another underlay host changes its MAC every millisecond: each change asks for a resolve
        for (long now = 1_001; now < 1_100; now++)
        {
            neighbors.learned(STRANGER, 0x5254_00EE_0000L + now, now);
            bridge.onNeighborsChanged();
            bridge.tick(now);
        }

        final long asked = sent().stream().filter(f -> f.isArp() && f.arpTargetIp() == PEER_X).count();
        assertTrue(asked >= 1 && asked <= 5, "one resolve per 20 ms at most, not one per change: " + asked);
    }

    // ---- driving the PMD by hand ----

    private void drain()
    {
        while (agent.doWork() > 0)
        {
            // run every queued command
        }
    }

    /** What the conductor does when version() moves: the bridge's overlay into the PMD. */
    private void publish()
    {
        pmd.installTopology(new ForwardingTopology(List.of(), UNDERLAY, bridge.overlayTopology(VAN_IDS)));
        drain();
    }

    /** Frames transmitted since the last call. */
    private List<Sent> sent()
    {
        drain();
        final List<Sent> frames = io.sent().stream().map(Sent::new).toList();
        io.sent().clear();
        return frames;
    }

    private List<Sent> sent(final int type)
    {
        return sent().stream().filter(f -> f.type() == type).toList();
    }

    private Long2LongHashMap remoteRoutesInPmd()
    {
        final var hits = pmd.remoteHits();
        drain();
        return hits.join();
    }

    private boolean pmdRoutes(final int vanIndex, final long mac)
    {
        return remoteRoutesInPmd().containsKey(LocalFdb.key(vanIndex, mac));
    }

    /** Peers A and B (edges 0 and 1) resolved, this host serving {@code vans}, the PMD up to date. */
    private void start(final Integer... vans)
    {
        bridge.setLocalVans(Set.of(vans));
        bridge.setPeers(List.of(PEER_A, PEER_B));
        bridge.tick(0);
        publish();
        sent();
    }

    // ---- frames from peers ----

    private static byte[] templateFrom(final int peer)
    {
        return SignalCodec.outerTemplate(peer == PEER_A ? PEER_A_MAC : PEER_B_MAC, OUR_MAC, peer, OUR_IP, UDP_PORT);
    }

    private void receive(final int sender, final byte[] frame, final long nowMs)
    {
        bridge.onSignal(sender, new UnsafeBuffer(frame), OUTER, frame.length - OUTER, nowMs);
    }

    private void announceFrom(final int peer, final long epoch, final int... vans)
    {
        receive(peer, SignalCodec.announce(templateFrom(peer), epoch, peer, vans), 0);
    }

    private void learnFrom(final int peer, final int van, final long mac, final int sequence)
    {
        receive(peer, SignalCodec.learn(templateFrom(peer), van, mac, 0, sequence, peer), 0);
    }

    private void unlearnFrom(final int peer, final int van, final long mac)
    {
        receive(peer, SignalCodec.unlearn(templateFrom(peer), van, mac, peer), 0);
    }

    private void healthFrom(final int peer, final long nonce, final long incarnation, final long nowMs)
    {
        receive(peer, SignalCodec.health(templateFrom(peer), VanHeaderFlyweight.TYPE_HEALTH, nonce, incarnation, peer), nowMs);
    }

    private long counter(final String name)
    {
        return bridge.counters().getOrDefault(name, 0L);
    }

    private OverlayTopology overlay()
    {
        return bridge.overlayTopology(VAN_IDS);
    }

    private RemoteRoutes.Entry route(final int van, final long mac)
    {
        return bridge.routes(0).stream().filter(r -> r.van() == van && r.mac() == mac).findFirst().orElse(null);
    }

    private Map<String, String> healthRow(final int peer)
    {
        return bridge.healthRows(0).stream()
            .filter(r -> r.get("peer").equals(Ipv4Address.format(peer))).findFirst().orElseThrow();
    }

    // ==== 1. tick: outer templates, ANNOUNCE, ARP ====

    @Test
    void aPeerWithAStaticNeighbourGetsAnEdgeAndAnAnnounceListingTheLocalVans()
    {
        bridge.setLocalVans(Set.of(VAN_20, VAN_10));
        bridge.setPeers(List.of(PEER_A));
        final long before = bridge.version();

        bridge.tick(0);

        assertTrue(bridge.version() > before, "a new template changes the overlay the PMDs need");
        final RemoteEdge edge = overlay().edge(0);
        assertNotNull(edge, "peer A resolved on the first tick");
        assertEquals(PEER_A, edge.ip());
        assertArrayEquals(SignalCodec.outerTemplate(OUR_MAC, PEER_A_MAC, OUR_IP, PEER_A, UDP_PORT), edge.template());

        final List<Sent> frames = sent();
        assertTrue(frames.stream().noneMatch(Sent::isArp), "a resolved peer needs no ARP");
        final List<Sent> announces = frames.stream().filter(f -> f.type() == VanHeaderFlyweight.TYPE_ANNOUNCE).toList();
        assertEquals(1, announces.size());
        final Sent announce = announces.getFirst();
        assertEquals(PEER_A_MAC, announce.destinationMac());
        assertEquals(PEER_A, announce.destinationIp());
        assertEquals(OUR_IP, announce.announce().host());
        assertArrayEquals(new int[]{VAN_10, VAN_20}, announce.announce().vans());
        assertEquals(1, announce.announce().parts());
        assertFalse(announce.announce().withdraw());
        assertEquals(1L, counter("announce_sent"));
        assertEquals(frames.size(), agent.counters().underlay(PmdCounters.UNDERLAY_SENT_FOR_CONTROL),
            "every frame the bridge sent left through the PMD");
        assertEquals(0L, agent.counters().underlay(PmdCounters.UNDERLAY_CONTROL_SEND_FAILED));
    }

    @Test
    void theAnnounceIsRefreshedEverySecondNotOnEveryTick()
    {
        bridge.setLocalVans(Set.of(VAN_10));
        bridge.setPeers(List.of(PEER_A));
        bridge.tick(0);
        assertEquals(1, sent(VanHeaderFlyweight.TYPE_ANNOUNCE).size());

        bridge.tick(500);
        assertEquals(0, sent(VanHeaderFlyweight.TYPE_ANNOUNCE).size());

        bridge.tick(1_000);
        assertEquals(1, sent(VanHeaderFlyweight.TYPE_ANNOUNCE).size());
    }

    @Test
    void anUnresolvedPeerGetsAnArpRequestAndNoEdge()
    {
        bridge.setLocalVans(Set.of(VAN_10));
        bridge.setPeers(List.of(PEER_X));

        bridge.tick(0);

        final List<Sent> frames = sent();
        assertEquals(1, frames.size(), "only the ARP request: no signal can reach X yet");
        assertTrue(frames.getFirst().isArp());
        assertEquals(MacAddress.BROADCAST, frames.getFirst().destinationMac());
        assertEquals(PEER_X, frames.getFirst().arpTargetIp());
        assertNull(overlay().edge(0));
        assertEquals("no", bridge.peerRows().getFirst().get("resolved"));
        assertEquals(0L, counter("announce_sent"));
    }

    @Test
    void aPeerThatResolvesLaterGetsItsEdgeAndAnnounceOnTheNextResolveRound()
    {
        bridge.setLocalVans(Set.of(VAN_10));
        bridge.setPeers(List.of(PEER_X));
        bridge.tick(0);
        sent();

        neighbors.learned(PEER_X, 0x5254_00CC_0004L, 100);
        bridge.tick(499);
        assertNull(overlay().edge(0), "ARP answers are picked up every 500 ms, not on every tick");

        bridge.tick(500);
        assertNotNull(overlay().edge(0));
        final List<Sent> announces = sent(VanHeaderFlyweight.TYPE_ANNOUNCE);
        assertEquals(1, announces.size(), "a newly resolved peer is announced to at once");
        assertEquals(PEER_X, announces.getFirst().destinationIp());
    }

    // ==== 2. ANNOUNCE from a peer ====

    @Test
    void anAnnouncedPeerJoinsTheFloodListsOfItsVansAndLeavesThoseItDropsWithANewerEpoch()
    {
        start(VAN_10, VAN_20);
        long version = bridge.version();

        announceFrom(PEER_A, 1, VAN_10, VAN_20);

        assertTrue(bridge.version() > version);
        assertArrayEquals(new int[]{0}, overlay().floodEdges(0));
        assertArrayEquals(new int[]{0}, overlay().floodEdges(1));
        assertEquals(1L, counter("announce_received"));

        version = bridge.version();
        announceFrom(PEER_A, 2, VAN_10);

        assertTrue(bridge.version() > version);
        assertArrayEquals(new int[]{0}, overlay().floodEdges(0));
        assertArrayEquals(new int[0], overlay().floodEdges(1), "A no longer serves VAN 20");
        assertEquals("10", bridge.peerRows().getFirst().get("vans"));
    }

    @Test
    void anOlderEpochDoesNotUndoANewerSet()
    {
        start(VAN_10, VAN_20);
        announceFrom(PEER_A, 5, VAN_10, VAN_20);

        announceFrom(PEER_A, 4, VAN_10);

        assertArrayEquals(new int[]{0}, overlay().floodEdges(1));
    }

    @Test
    void aPeerThatStopsServingAVanLosesItsRoutesThere()
    {
        start(VAN_10, VAN_20);
        announceFrom(PEER_A, 1, VAN_10, VAN_20);
        learnFrom(PEER_A, VAN_20, MAC, 1);
        learnFrom(PEER_A, VAN_10, MAC, 1);
        assertTrue(pmdRoutes(1, MAC));

        announceFrom(PEER_A, 2, VAN_10);

        assertNull(route(VAN_20, MAC), "a host that left VAN 20 holds none of its MACs");
        assertNotNull(route(VAN_10, MAC));
        assertFalse(pmdRoutes(1, MAC));
        assertTrue(pmdRoutes(0, MAC));
        assertEquals(1L, counter("routes_withdrawn"));
    }

    @Test
    void anAnnounceWithTheWithdrawFlagIsCountedAndIgnored()
    {
        start(VAN_10);
        final byte[] frame = SignalCodec.announce(templateFrom(PEER_A), 1, PEER_A, new int[]{VAN_10});
        frame[OUTER + VanHeaderFlyweight.HEADER_LENGTH + 12] = 1;

        receive(PEER_A, frame, 0);

        assertEquals(1L, counter("announce_unsupported"));
        assertEquals(0L, counter("announce_received"));
        assertArrayEquals(new int[0], overlay().floodEdges(0), "a withdrawal must not be read as A's whole set");
    }

    @Test
    void aMultiPartAnnounceIsCountedAndIgnored()
    {
        start(VAN_10);
        final byte[] frame = SignalCodec.announce(templateFrom(PEER_A), 1, PEER_A, new int[]{VAN_10});
        frame[OUTER + VanHeaderFlyweight.HEADER_LENGTH + 14] = 2;

        receive(PEER_A, frame, 0);

        assertEquals(1L, counter("announce_unsupported"));
        assertArrayEquals(new int[0], overlay().floodEdges(0), "one part of two is not A's whole set");
    }

    @Test
    void signalsFromAHostThatIsNotAPeerAreCountedAndIgnored()
    {
        start(VAN_10);

        receive(STRANGER, SignalCodec.announce(templateFrom(PEER_A), 1, STRANGER, new int[]{VAN_10}), 0);
        receive(STRANGER, SignalCodec.learn(templateFrom(PEER_A), VAN_10, MAC, 0, 1, STRANGER), 0);

        assertEquals(2L, counter("signal_unknown_peer"));
        assertArrayEquals(new int[0], overlay().floodEdges(0));
        assertTrue(bridge.routes(0).isEmpty());
    }

    @Test
    void aSignalWhoseHostFieldIsNotItsSenderIsCountedAndIgnored()
    {
        start(VAN_10);

        receive(PEER_A, SignalCodec.announce(templateFrom(PEER_A), 1, PEER_B, new int[]{VAN_10}), 0);
        receive(PEER_A, SignalCodec.learn(templateFrom(PEER_A), VAN_10, MAC, 0, 1, PEER_B), 0);
        receive(PEER_A, SignalCodec.unlearn(templateFrom(PEER_A), VAN_10, MAC, PEER_B), 0);
        receive(PEER_A, SignalCodec.health(templateFrom(PEER_A), VanHeaderFlyweight.TYPE_HEALTH, 1, 1, PEER_B), 0);

        assertEquals(4L, counter("signal_host_mismatch"));
        assertArrayEquals(new int[0], overlay().floodEdges(0));
        assertTrue(bridge.routes(0).isEmpty());
        assertTrue(sent().isEmpty(), "a HEALTH naming another host is not answered");
    }

    @Test
    void aShortSignalIsCounted()
    {
        start(VAN_10);
        final byte[] frame = SignalCodec.learn(templateFrom(PEER_A), VAN_10, MAC, 0, 1, PEER_A);

        bridge.onSignal(PEER_A, new UnsafeBuffer(frame), OUTER, VanHeaderFlyweight.HEADER_LENGTH + SignalCodec.LEARN_BODY - 1, 0);

        assertEquals(1L, counter("signal_short"));
        assertTrue(bridge.routes(0).isEmpty());
    }

    // ==== 3. LEARN ====

    @Test
    void aLearnInstallsTheRouteAndThePmdEntry()
    {
        start(VAN_10);

        learnFrom(PEER_B, VAN_10, MAC, 7);

        final RemoteRoutes.Entry route = route(VAN_10, MAC);
        assertNotNull(route);
        assertEquals(PEER_B, route.host());
        assertEquals(7, route.sequence());
        assertTrue(pmdRoutes(0, MAC), "the PMD forwards to B's edge");
        assertEquals(1L, counter("learn_received"));
        assertEquals(1L, bridge.vanSignals(VAN_10)[EdgeBridge.VAN_LEARN_RECEIVED]);
        assertEquals("1", bridge.peerRows().get(1).get("routes"));
    }

    @Test
    void aStaleLearnDoesNotMoveTheRoute()
    {
        start(VAN_10);
        learnFrom(PEER_A, VAN_10, MAC, 5);

        learnFrom(PEER_B, VAN_10, MAC, 3);
        learnFrom(PEER_A, VAN_10, MAC, 4);

        final RemoteRoutes.Entry route = route(VAN_10, MAC);
        assertEquals(PEER_A, route.host(), "B's claim is older than A's");
        assertEquals(5, route.sequence(), "A's own older sequence does not lower it");
        assertTrue(pmdRoutes(0, MAC));
        assertTrue(sent().isEmpty(), "a stale claim about a MAC not local here is not answered");
    }

    @Test
    void aNewerLearnFromAnotherHostMovesTheRoute()
    {
        start(VAN_10);
        learnFrom(PEER_A, VAN_10, MAC, 5);

        learnFrom(PEER_B, VAN_10, MAC, 6);

        assertEquals(PEER_B, route(VAN_10, MAC).host());
        assertTrue(pmdRoutes(0, MAC));
        publish();
        assertTrue(pmdRoutes(0, MAC));
    }

    @Test
    void aLearnThatLosesToTheLocalClaimIsAnsweredWithOurLearn()
    {
        start(VAN_10);
        announceFrom(PEER_A, 1, VAN_10);
        learnFrom(PEER_A, VAN_10, MAC, 5);
        bridge.onLocalLearn(VAN_10, MAC); // the VM migrated here: sequence 6, told to the VAN's members
        final List<Sent> migration = sent(VanHeaderFlyweight.TYPE_LEARN);
        assertEquals(1, migration.size());
        assertEquals(6, migration.getFirst().learn().sequence());
        assertEquals(SignalCodec.LEARN_FLAG_UPDATE_ONLY, migration.getFirst().learn().flags());
        assertEquals(1L, counter("migrations_announced"));

        learnFrom(PEER_A, VAN_10, MAC, 5);

        final List<Sent> answers = sent(VanHeaderFlyweight.TYPE_LEARN);
        assertEquals(1, answers.size(), "the stale claimant is told of the newer claim");
        final SignalCodec.Learn answer = answers.getFirst().learn();
        assertEquals(PEER_A, answers.getFirst().destinationIp());
        assertEquals(VAN_10, answer.van());
        assertEquals(MAC, answer.mac());
        assertEquals(6, answer.sequence());
        assertEquals(OUR_IP, answer.host());
        assertEquals(0, answer.flags());
        assertTrue(localMacs.movedAway.isEmpty());
        assertNull(route(VAN_10, MAC));
    }

    @Test
    void aLearnThatBeatsTheLocalClaimMovesTheMacAway()
    {
        start(VAN_10);
        bridge.onLocalLearn(VAN_10, MAC); // sequence 0

        learnFrom(PEER_A, VAN_10, MAC, 1);

        assertEquals(List.of(MAC), localMacs.movedAway);
        assertEquals(1L, counter("mac_moved_away"));
        assertEquals(PEER_A, route(VAN_10, MAC).host());
        assertTrue(pmdRoutes(0, MAC), "the PMD forwards to the MAC's new host");
        assertTrue(sent(VanHeaderFlyweight.TYPE_LEARN).isEmpty());
    }

    @Test
    void aTieIsWonByTheLowerAddress()
    {
        start(VAN_10);
        bridge.onLocalLearn(VAN_10, MAC); // sequence 0 here, and 10.0.0.1 is lower than A

        learnFrom(PEER_A, VAN_10, MAC, 0);

        assertTrue(localMacs.movedAway.isEmpty());
        assertEquals(1, sent(VanHeaderFlyweight.TYPE_LEARN).size(), "A is told that we hold the MAC");
    }

    @Test
    void learnsWithAGroupOrZeroMacAreCountedNotThrown()
    {
        start(VAN_10);

        learnFrom(PEER_A, VAN_10, 0x0100_5E00_0001L, 1);
        learnFrom(PEER_A, VAN_10, 0L, 1);
        unlearnFrom(PEER_A, VAN_10, MacAddress.BROADCAST);

        assertEquals(3L, counter("signal_bad_mac"));
        assertTrue(bridge.routes(0).isEmpty());
        assertTrue(remoteRoutesInPmd().isEmpty());
    }

    @Test
    void aLearnForAVanNotKnownHereIsCounted()
    {
        start(VAN_10);

        learnFrom(PEER_A, 99, MAC, 1);

        assertEquals(1L, counter("learn_unknown_van"));
        assertTrue(bridge.routes(0).isEmpty());
    }

    @Test
    void anUpdateOnlyLearnForAnUnknownMacIsNotInstalled()
    {
        start(VAN_10);

        receive(PEER_A, SignalCodec.learn(templateFrom(PEER_A), VAN_10, MAC, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 3, PEER_A), 0);

        assertEquals(1L, counter("learn_unsolicited"));
        assertTrue(bridge.routes(0).isEmpty());
        assertTrue(remoteRoutesInPmd().isEmpty());
    }

    // ==== 4. UNLEARN ====

    @Test
    void anUnlearnFromTheRoutesHostRemovesRouteAndPmdEntry()
    {
        start(VAN_10);
        learnFrom(PEER_A, VAN_10, MAC, 1);
        assertTrue(pmdRoutes(0, MAC));

        unlearnFrom(PEER_A, VAN_10, MAC);

        assertNull(route(VAN_10, MAC));
        assertFalse(pmdRoutes(0, MAC), "frames to the MAC flood again");
        assertEquals(1L, counter("unlearn_received"));
        assertEquals(1L, bridge.vanSignals(VAN_10)[EdgeBridge.VAN_UNLEARN_RECEIVED]);
    }

    @Test
    void anUnlearnFromAnotherHostLeavesTheRoute()
    {
        start(VAN_10);
        learnFrom(PEER_A, VAN_10, MAC, 1);

        unlearnFrom(PEER_B, VAN_10, MAC);

        assertEquals(PEER_A, route(VAN_10, MAC).host(), "the MAC's old location must not delete the route to its new one");
        assertTrue(pmdRoutes(0, MAC));
    }

    // ==== 5. FLOOD answered with LEARN ====

    @Test
    void aFloodForALocalMacIsAnsweredWithLearnToItsSender()
    {
        start(VAN_10);
        bridge.onLocalLearn(VAN_10, MAC);

        bridge.onFloodForLocal(VAN_10, MAC, 1); // edge 1 is B

        final List<Sent> learns = sent(VanHeaderFlyweight.TYPE_LEARN);
        assertEquals(1, learns.size());
        assertEquals(PEER_B, learns.getFirst().destinationIp());
        assertEquals(PEER_B_MAC, learns.getFirst().destinationMac());
        final SignalCodec.Learn learn = learns.getFirst().learn();
        assertEquals(VAN_10, learn.van());
        assertEquals(MAC, learn.mac());
        assertEquals(0, learn.sequence());
        assertEquals(0, learn.flags());
        assertEquals(OUR_IP, learn.host());
        assertEquals(1L, counter("learn_sent"));
        assertEquals(1L, bridge.vanSignals(VAN_10)[EdgeBridge.VAN_LEARN_SENT]);
    }

    @Test
    void aFloodAnswerCarriesTheSequenceOfAMigratedMac()
    {
        start(VAN_10);
        learnFrom(PEER_A, VAN_10, MAC, 41);
        bridge.onLocalLearn(VAN_10, MAC);
        sent();

        bridge.onFloodForLocal(VAN_10, MAC, 1);

        assertEquals(42, sent(VanHeaderFlyweight.TYPE_LEARN).getFirst().learn().sequence());
    }

    @Test
    void aFloodForAMacNotLocalIsNotAnswered()
    {
        start(VAN_10);

        bridge.onFloodForLocal(VAN_10, MAC, 0);
        bridge.onLocalLearn(VAN_10, MAC);
        bridge.onLocalGone(VAN_10, MAC);
        bridge.onFloodForLocal(VAN_10, MAC, 0);

        assertTrue(sent().isEmpty());
        assertEquals(0L, counter("learn_sent"));
    }

    // ==== 6. DATA not here answered with UNLEARN ====

    @Test
    void dataForAMacNotHereIsAnsweredWithUnlearn()
    {
        start(VAN_10);

        bridge.onDataNotHere(VAN_10, MAC, 0);

        final List<Sent> unlearns = sent(VanHeaderFlyweight.TYPE_UNLEARN);
        assertEquals(1, unlearns.size());
        assertEquals(PEER_A, unlearns.getFirst().destinationIp());
        final SignalCodec.Unlearn unlearn = unlearns.getFirst().unlearn();
        assertEquals(VAN_10, unlearn.van());
        assertEquals(MAC, unlearn.mac());
        assertEquals(OUR_IP, unlearn.host());
        assertEquals(1L, counter("unlearn_sent"));
        assertEquals(1L, bridge.vanSignals(VAN_10)[EdgeBridge.VAN_UNLEARN_SENT]);
    }

    @Test
    void unlearnsToOnePeerAreRateLimitedOnceTheBurstIsSpent()
    {
        start(VAN_10);
        final int attempts = 600; // the burst is 256, refilled at 1000/s: far fewer refill in this loop

        for (int i = 0; i < attempts; i++)
        {
            bridge.onDataNotHere(VAN_10, MAC + i, 0);
        }

        final long limited = counter("signal_rate_limited");
        final long unlearnsSent = counter("unlearn_sent");
        assertTrue(limited > 0, "a misrouting peer must not get an answer for every frame");
        assertTrue(unlearnsSent >= 256, "the burst is allowed: " + unlearnsSent);
        assertEquals(attempts, limited + unlearnsSent);
        assertEquals(unlearnsSent, sent(VanHeaderFlyweight.TYPE_UNLEARN).size());
        assertEquals(0L, pmd.failedOffers());

        bridge.onDataNotHere(VAN_10, MAC, 1);
        assertEquals(1, sent(VanHeaderFlyweight.TYPE_UNLEARN).size(), "each peer has its own budget");
    }

    @Test
    void dataForAMacTheControlViewHoldsIsReassertedNotUnlearned()
    {
        start(VAN_10);
        localMacs.local.add(MAC);

        bridge.onDataNotHere(VAN_10, MAC, 0);

        assertEquals(List.of(MAC), localMacs.reasserted);
        assertEquals(1L, counter("local_reasserted"));
        assertTrue(sent().isEmpty());
        assertEquals(0L, counter("unlearn_sent"));
    }

    // ==== 7. health ====

    @Test
    void aHealthProbeIsAnsweredWithAnAckEchoingTheNonce()
    {
        start(VAN_10);

        healthFrom(PEER_A, 0x1234_5678_9ABCL, 77, 0);

        final List<Sent> acks = sent(VanHeaderFlyweight.TYPE_HEALTH_ACK);
        assertEquals(1, acks.size());
        assertEquals(PEER_A, acks.getFirst().destinationIp());
        assertEquals(0x1234_5678_9ABCL, acks.getFirst().health().nonce());
        assertEquals(OUR_IP, acks.getFirst().health().host());
        assertEquals("up", healthRow(PEER_A).get("state"));
        assertEquals("unknown", healthRow(PEER_B).get("state"));
    }

    @Test
    void everyResolvedPeerIsProbedEveryHundredMilliseconds()
    {
        bridge.setPeers(List.of(PEER_A, PEER_B, PEER_X));
        bridge.tick(0);
        final List<Sent> probes = sent(VanHeaderFlyweight.TYPE_HEALTH);
        assertEquals(Set.of(PEER_A, PEER_B), Set.copyOf(probes.stream().map(Sent::destinationIp).toList()));
        assertTrue(probes.stream().allMatch(p -> p.health().host() == OUR_IP));

        bridge.tick(50);
        assertTrue(sent(VanHeaderFlyweight.TYPE_HEALTH).isEmpty());
        bridge.tick(100);
        assertEquals(2, sent(VanHeaderFlyweight.TYPE_HEALTH).size());
    }

    @Test
    void anAckFromAPeerRecordsARoundTrip()
    {
        start(VAN_10);

        receive(PEER_A, SignalCodec.health(templateFrom(PEER_A), VanHeaderFlyweight.TYPE_HEALTH_ACK, System.nanoTime(), 5, PEER_A), 0);

        assertEquals("up", healthRow(PEER_A).get("state"));
        assertFalse(healthRow(PEER_A).get("rtt_us").equals("-"));
        assertTrue(sent().isEmpty(), "an ACK is not answered");
    }

    @Test
    void aSilentPeerGoesDownLosesItsRoutesAndEdgeAndComesBackWhenHeard()
    {
        bridge.healthTimeoutMs(300);
        start(VAN_10);
        announceFrom(PEER_A, 1, VAN_10);
        healthFrom(PEER_A, 1, 9, 0);
        learnFrom(PEER_A, VAN_10, MAC, 1);
        publish();
        assertTrue(pmdRoutes(0, MAC));

        for (long now = 100; now <= 300; now += 100)
        {
            bridge.tick(now);
            assertEquals("up", healthRow(PEER_A).get("state"), "still within the timeout at " + now);
        }
        final long version = bridge.version();
        bridge.tick(400);

        final Map<String, String> row = healthRow(PEER_A);
        assertEquals("down", row.get("state"));
        assertEquals("1", row.get("down_events"));
        assertEquals("0", row.get("routes"));
        assertNull(route(VAN_10, MAC));
        assertEquals(1L, counter("peer_down"));
        assertTrue(bridge.version() > version, "the conductor must republish");
        assertNull(overlay().edge(0), "a down peer leaves the overlay");
        assertNotNull(overlay().edge(1));
        assertArrayEquals(new int[0], overlay().floodEdges(0));
        publish();
        assertFalse(pmdRoutes(0, MAC), "the PMD swept the route with the edge");
        bridge.tick(500);
        assertEquals(1L, counter("peer_down"), "down once, not on every tick");
        sent();

        final long downVersion = bridge.version();
        healthFrom(PEER_A, 2, 9, 550);

        assertEquals("up", healthRow(PEER_A).get("state"));
        assertTrue(bridge.version() > downVersion);
        assertNotNull(overlay().edge(0), "heard again: back in the overlay");
        bridge.tick(560);
        final List<Sent> announces = sent(VanHeaderFlyweight.TYPE_ANNOUNCE);
        assertTrue(announces.stream().anyMatch(a -> a.destinationIp() == PEER_A), "a peer that comes back needs our set");
    }

    @Test
    void aPeerNeverHeardIsNotDeclaredDown()
    {
        bridge.healthTimeoutMs(300);
        start(VAN_10);

        bridge.tick(100);
        bridge.tick(1_000);

        assertEquals("unknown", healthRow(PEER_A).get("state"));
        assertEquals(0L, counter("peer_down"));
        assertNotNull(overlay().edge(0));
    }

    @Test
    void anyValidSignalKeepsAPeerUp()
    {
        bridge.healthTimeoutMs(300);
        start(VAN_10);
        healthFrom(PEER_A, 1, 9, 0);

        receive(PEER_A, SignalCodec.announce(templateFrom(PEER_A), 1, PEER_A, new int[]{VAN_10}), 250);
        bridge.tick(400);

        assertEquals("up", healthRow(PEER_A).get("state"));
    }

    @Test
    void aNewIncarnationMarksARestartAndIsAnnouncedTo()
    {
        start(VAN_10);
        announceFrom(PEER_A, 1, VAN_10);
        healthFrom(PEER_A, 1, 1, 0);
        learnFrom(PEER_A, VAN_10, MAC, 1);
        healthFrom(PEER_A, 2, 1, 5);
        sent();
        assertEquals(0L, counter("peer_down"), "the same incarnation is no restart");

        healthFrom(PEER_A, 3, 2, 10);

        assertEquals(1L, counter("peer_down"));
        assertNull(route(VAN_10, MAC), "whatever A told us before its restart is gone");
        assertArrayEquals(new int[0], overlay().floodEdges(0), "its VANs too, until it announces again");
        assertEquals("up", healthRow(PEER_A).get("state"), "it answered: it is up");
        assertNotNull(overlay().edge(0));
        sent();

        bridge.tick(20); // long before the next refresh

        final List<Sent> announces = sent(VanHeaderFlyweight.TYPE_ANNOUNCE);
        assertTrue(announces.stream().anyMatch(a -> a.destinationIp() == PEER_A));
        assertArrayEquals(new int[]{VAN_10}, announces.getFirst().announce().vans());
    }

    // ==== 8. local VANs ====

    @Test
    void aVanNoLongerServedIsSweptFromTheOverlay()
    {
        start(VAN_10, VAN_20);
        announceFrom(PEER_A, 1, VAN_10, VAN_20);
        learnFrom(PEER_A, VAN_20, MAC, 1);
        assertEquals(VAN_20, overlay().vanId(1));
        assertArrayEquals(new int[]{0}, overlay().floodEdges(1));
        final long version = bridge.version();

        bridge.setLocalVans(Set.of(VAN_10));

        assertTrue(bridge.version() > version);
        assertEquals(0, overlay().vanId(1), "VAN 20's frames are unknown_van here now");
        assertEquals(VAN_10, overlay().vanId(0));
        assertArrayEquals(new int[0], overlay().floodEdges(1));
        assertNull(route(VAN_20, MAC));
        assertEquals(0, overlay().vanId(2), "a VAN never served here is not on the overlay either");
        publish();
        assertFalse(pmdRoutes(1, MAC), "the PMD swept the VAN's routes");

        bridge.tick(10);
        final List<Sent> announces = sent(VanHeaderFlyweight.TYPE_ANNOUNCE);
        assertEquals(2, announces.size(), "both peers hear the new set at once");
        assertArrayEquals(new int[]{VAN_10}, announces.getFirst().announce().vans());
    }

    @Test
    void settingTheSameLocalVansAgainChangesNothing()
    {
        start(VAN_10);
        final long version = bridge.version();

        bridge.setLocalVans(Set.of(VAN_10));

        assertEquals(version, bridge.version());
    }
}
