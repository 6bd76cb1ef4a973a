package io.vanswitch.control.daemon;

import io.vanswitch.control.config.UnderlaySpec;
import io.vanswitch.control.overlay.NeighborTable;
import io.vanswitch.control.overlay.RemoteRoutes;
import io.vanswitch.control.overlay.SignalCodec;
import io.vanswitch.dataplane.fdb.LocalFdb;
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
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
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
 * The edge bridge of a site proxy (docs/federation.md, "How the signals cross"), driven by hand as
 * {@link EdgeBridgeSignallingTest} drives a host's: a real PMD agent over {@link RecordingPacketIo}
 * whose commands run only on {@code doWork()}, so signals to the site's hosts are read back from
 * what the PMD transmitted and routes from the PMD's table; signals to peer proxies are read back
 * from a recording {@link EdgeBridge.LinkSender} (the TLS session). Site hosts A and B serve VAN 10
 * (index 0) and VAN 20 (index 1). Peer proxy site-b maps VAN 10 as its 42; site-c maps VAN 10 as
 * 43 and VAN 20 as 53.
 */
class EdgeBridgeLinkTest
{
    private static final int OUR_IP = 0x0A00_0001;
    private static final int PEER_A = 0x0A00_0002;
    private static final int PEER_B = 0x0A00_0003;
    private static final long OUR_MAC = 0x5254_0012_3456L;
    private static final long PEER_A_MAC = 0x5254_00AA_0002L;
    private static final long PEER_B_MAC = 0x5254_00BB_0003L;
    private static final int UDP_PORT = UnderlaySpec.DEFAULT_UDP_PORT;
    private static final int OUTER = 42;
    private static final int VAN_10 = 10;
    private static final int VAN_20 = 20;
    private static final int[] VAN_IDS = new int[PmdCounters.MAX_VANS];

    private static final String SITE_B = "site-b";
    private static final String SITE_C = "site-c";
    private static final int LINK_B = 0;
    private static final int LINK_C = 1;
    private static final int B_VAN_10 = 42;
    private static final int C_VAN_10 = 43;
    private static final int C_VAN_20 = 53;
    private static final long PUBLIC_MAC = 0x5254_00C0_0201L;
    private static final long GATEWAY_MAC = 0x5254_00C0_02FEL;
    private static final int PUBLIC_IP = 0xC000_0201;
    private static final int B_PUBLIC_IP = 0xC000_0202;
    private static final int C_PUBLIC_IP = 0xC000_0203;
    private static final int PROXY_PORT = 4798;

    private static final long MAC = 0x5254_0000_0001L;
    private static final long OTHER_MAC = 0x5254_0000_0002L;

    static
    {
        VAN_IDS[0] = VAN_10;
        VAN_IDS[1] = VAN_20;
    }

    private static final UnderlayBinding UNDERLAY = new UnderlayBinding(
        new PortBinding(PmdCounters.UNDERLAY_SLOT, 1, "underlay", 60, 0, MacAddress.NONE, 0, 0), OUR_MAC, OUR_IP, UDP_PORT);

    private final RecordingPacketIo io = new RecordingPacketIo(32);
    private final PmdAgent agent = new PmdAgent(0, -1, io, 1024);
    private final PmdProxy pmd = new PmdProxy(agent);
    private final NeighborTable neighbors = new NeighborTable();
    private final List<LinkSignal> linkSignals = new ArrayList<>();
    private final List<Long> movedAway = new ArrayList<>();
    private EdgeBridge bridge;

    /** A signal the bridge gave the TLS session of a peer proxy, from its VAN header on. */
    private record LinkSignal(String link, byte[] bytes)
    {
        UnsafeBuffer buffer()
        {
            return new UnsafeBuffer(bytes);
        }

        int type()
        {
            return SignalCodec.type(buffer(), 0);
        }

        int sourceVan()
        {
            return buffer().getInt(4, ByteOrder.BIG_ENDIAN);
        }

        int destinationVan()
        {
            return buffer().getInt(8, ByteOrder.BIG_ENDIAN);
        }

        SignalCodec.Learn learn()
        {
            return SignalCodec.readLearn(buffer(), 0, bytes.length);
        }
    }

    /** One frame the PMD put on the site's underlay. */
    private record Sent(byte[] bytes)
    {
        int type()
        {
            return SignalCodec.type(new UnsafeBuffer(bytes), OUTER);
        }

        int destinationIp()
        {
            return new UnsafeBuffer(bytes).getInt(30, ByteOrder.BIG_ENDIAN);
        }

        SignalCodec.Learn learn()
        {
            return SignalCodec.readLearn(new UnsafeBuffer(bytes), OUTER, bytes.length - OUTER);
        }
    }

    @BeforeEach
    void setUp()
    {
        neighbors.addStatic(PEER_A, PEER_A_MAC, 0);
        neighbors.addStatic(PEER_B, PEER_B_MAC, 0);
        bridge = new EdgeBridge(
            new UnderlaySpec("net_null0", OUR_IP, 24, 0, UDP_PORT, UnderlaySpec.DEFAULT_MTU),
            OUR_MAC, List.of(pmd), neighbors, EdgeBridgeLinkTest::vanIndexOf, new EdgeBridge.LocalMacs()
            {
                public void movedAway(final int van, final long mac)
                {
                    movedAway.add(mac);
                }

                public boolean isLocal(final int van, final long mac)
                {
                    return false;
                }

                public void reassert(final int van, final long mac)
                {
                }
            },
            1);
        bridge.linkSender((link, signal) -> linkSignals.add(new LinkSignal(link, signal.clone())));
        publish();

        // the site: hosts A and B serve both VANs, as does the proxy (for the links that map them)
        bridge.setLocalVans(Set.of(VAN_10, VAN_20));
        bridge.setPeers(List.of(PEER_A, PEER_B));
        bridge.tick(0);
        announceFrom(PEER_A, VAN_10, VAN_20);
        announceFrom(PEER_B, VAN_10, VAN_20);

        // the peer proxies, each up with a session and a next hop towards its public address
        bridge.setLink(SITE_B, LINK_B, B_PUBLIC_IP, Map.of(VAN_10, B_VAN_10));
        bridge.setLink(SITE_C, LINK_C, C_PUBLIC_IP, Map.of(VAN_10, C_VAN_10, VAN_20, C_VAN_20));
        bridge.linkUp(SITE_B, linkTemplate(B_PUBLIC_IP));
        bridge.linkUp(SITE_C, linkTemplate(C_PUBLIC_IP));
        publish();
        sent();
        linkSignals.clear();
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
            default -> -1;
        };
    }

    private static byte[] linkTemplate(final int peerPublicIp)
    {
        return SignalCodec.outerTemplate(PUBLIC_MAC, GATEWAY_MAC, PUBLIC_IP, peerPublicIp, PROXY_PORT);
    }

    // ---- driving the PMD by hand ----

    private void drain()
    {
        while (agent.doWork() > 0)
        {
            // run every queued command
        }
    }

    private void publish()
    {
        pmd.installTopology(new ForwardingTopology(List.of(), UNDERLAY, bridge.overlayTopology(VAN_IDS)));
        drain();
    }

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

    private boolean pmdRoutes(final int vanIndex, final long mac)
    {
        final var hits = pmd.remoteHits();
        drain();
        return hits.join().containsKey(LocalFdb.key(vanIndex, mac));
    }

    // ---- signals in ----

    private static byte[] templateFrom(final int peer)
    {
        return SignalCodec.outerTemplate(peer == PEER_A ? PEER_A_MAC : PEER_B_MAC, OUR_MAC, peer, OUR_IP, UDP_PORT);
    }

    private void receive(final int sender, final byte[] frame)
    {
        bridge.onSignal(sender, new UnsafeBuffer(frame), OUTER, frame.length - OUTER, 0);
    }

    private void announceFrom(final int peer, final int... vans)
    {
        receive(peer, SignalCodec.announce(templateFrom(peer), 1, peer, vans));
    }

    private void learnFrom(final int peer, final int van, final long mac, final int flags, final int sequence)
    {
        receive(peer, SignalCodec.learn(templateFrom(peer), van, mac, flags, sequence, peer));
    }

    private void learnFromLink(final String link, final int sourceVan, final int destinationVan, final long mac, final int flags, final int sequence)
    {
        bridge.onLinkSignal(link, SignalCodec.linkLearn(sourceVan, destinationVan, mac, flags, sequence), 0);
    }

    private long counter(final String name)
    {
        return bridge.counters().getOrDefault(name, 0L);
    }

    private RemoteRoutes.Entry route(final int van, final long mac)
    {
        return bridge.routes(0).stream().filter(r -> r.van() == van && r.mac() == mac).findFirst().orElse(null);
    }

    private int linkEdgeIndex(final int publicIp)
    {
        final OverlayTopology overlay = bridge.overlayTopology(VAN_IDS);
        return overlay.linkEdgeIndex(publicIp);
    }

    private static void assertLinkLearn(
        final LinkSignal signal, final String link, final int sourceVan, final int destinationVan, final long mac, final int flags,
        final int sequence)
    {
        assertEquals(link, signal.link());
        assertEquals(VanHeaderFlyweight.TYPE_LEARN, signal.type());
        assertEquals(sourceVan, signal.sourceVan(), "our VAN id as the source");
        assertEquals(destinationVan, signal.destinationVan(), "the peer site's VAN id as the destination");
        final SignalCodec.Learn learn = signal.learn();
        assertEquals(mac, learn.mac());
        assertEquals(flags, learn.flags());
        assertEquals(sequence, learn.sequence());
        assertEquals(0, learn.host(), "no site host's address ever leaves the site");
    }

    // ==== the links in the overlay ====

    @Test
    void aLinkThatIsUpIsALinkEdgeOfTheVansItMapsOnly()
    {
        final OverlayTopology overlay = bridge.overlayTopology(VAN_IDS);
        final RemoteEdge edgeB = overlay.edge(linkEdgeIndex(B_PUBLIC_IP));
        final RemoteEdge edgeC = overlay.edge(linkEdgeIndex(C_PUBLIC_IP));

        assertTrue(edgeB.isLink());
        assertEquals(LINK_B, edgeB.linkNumber());
        assertArrayEquals(linkTemplate(B_PUBLIC_IP), edgeB.template());
        assertEquals(LINK_C, edgeC.linkNumber());
        assertArrayEquals(new int[] { edgeB.index(), edgeC.index() }, overlay.linkFloodEdges(0));
        assertArrayEquals(new int[] { edgeC.index() }, overlay.linkFloodEdges(1), "site-b does not map VAN 20");
        assertEquals(2, overlay.siteFloodEdges(0).length, "hosts A and B");
        assertEquals(B_VAN_10, overlay.remoteVanId(edgeB.index(), 0));
        assertEquals(0, overlay.localVanIndex(edgeB.index(), B_VAN_10));
        assertEquals(OverlayTopology.MISSING, overlay.localVanIndex(edgeB.index(), C_VAN_10));
        assertEquals(C_VAN_20, overlay.remoteVanId(edgeC.index(), 1));
        assertEquals(OverlayTopology.MISSING, overlay.edgeIndex(B_PUBLIC_IP), "a link is never taken for a site host");
    }

    // ==== site -> links ====

    @Test
    void aSiteHostsLearnIsPassedToEveryLinkMappingTheVanTranslatedAndWithoutHost()
    {
        learnFrom(PEER_A, VAN_10, MAC, 0, 5);
        learnFrom(PEER_B, VAN_20, OTHER_MAC, 0, 2);

        assertEquals(PEER_A, route(VAN_10, MAC).host());
        assertTrue(pmdRoutes(0, MAC));
        assertEquals(3, linkSignals.size());
        assertLinkLearn(linkSignals.get(0), SITE_B, VAN_10, B_VAN_10, MAC, 0, 5);
        assertLinkLearn(linkSignals.get(1), SITE_C, VAN_10, C_VAN_10, MAC, 0, 5);
        assertLinkLearn(linkSignals.get(2), SITE_C, VAN_20, C_VAN_20, OTHER_MAC, 0, 2);
        assertEquals(3L, counter("link_learn_sent"));
    }

    @Test
    void nothingIsPassedToALinkThatIsDown()
    {
        bridge.linkDown(SITE_B, "test");

        learnFrom(PEER_A, VAN_10, MAC, 0, 5);

        assertEquals(1, linkSignals.size());
        assertEquals(SITE_C, linkSignals.getFirst().link());
        assertEquals(1L, counter("link_signal_link_down"));
    }

    // ==== links -> site ====

    @Test
    void aLinksLearnInstallsARouteBehindThatLink()
    {
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, 0, 7);

        final RemoteRoutes.Entry route = route(VAN_10, MAC);
        assertNotNull(route);
        assertTrue(EdgeBridge.isLinkHost(route.host()), "held under a host id in 240.0.0.0/8");
        assertEquals("proxy:site-b", bridge.hostLabel(route.host()));
        assertEquals(7, route.sequence());
        assertEquals(1, bridge.routesViaLink(SITE_B));
        assertEquals(0, bridge.routesViaLink(SITE_C));
        assertTrue(pmdRoutes(0, MAC));
        assertEquals(1L, counter("link_learn_received"));
        assertEquals(List.of(), linkSignals, "never echoed to a link");
        assertEquals(List.of(), sent(VanHeaderFlyweight.TYPE_LEARN), "a new MAC is not announced to the site: its hosts flood to learn it");
    }

    @Test
    void aLinksLearnOfAVanPairItDoesNotMapIsDroppedAndCounted()
    {
        learnFromLink(SITE_B, C_VAN_10, VAN_10, MAC, 0, 1);   // C's id for our VAN, from B
        learnFromLink(SITE_B, B_VAN_10, VAN_20, MAC, 0, 1);   // B's VAN claimed for another of ours
        learnFromLink(SITE_C, 99, VAN_10, MAC, 0, 1);         // a VAN of C's it does not share
        bridge.onLinkSignal(SITE_B, SignalCodec.linkUnlearn(C_VAN_20, VAN_20, MAC), 0);

        assertEquals(4L, counter("link_signal_unmapped_van"));
        assertNull(route(VAN_10, MAC));
        assertNull(route(VAN_20, MAC));
        assertFalse(pmdRoutes(0, MAC));
        assertFalse(pmdRoutes(1, MAC));
        assertEquals(0L, counter("link_learn_received"));
    }

    @Test
    void aSignalFromAnUnknownLinkIsCountedAndIgnored()
    {
        learnFromLink("site-x", B_VAN_10, VAN_10, MAC, 0, 1);

        assertEquals(1L, counter("link_signal_unknown_link"));
        assertNull(route(VAN_10, MAC));
    }

    @Test
    void aLinksUnlearnRemovesItsRoute()
    {
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, 0, 7);
        assertTrue(pmdRoutes(0, MAC));

        bridge.onLinkSignal(SITE_B, SignalCodec.linkUnlearn(B_VAN_10, VAN_10, MAC), 0);

        assertNull(route(VAN_10, MAC));
        assertEquals(0, bridge.routesViaLink(SITE_B));
        assertFalse(pmdRoutes(0, MAC));
        assertEquals(1L, counter("link_unlearn_received"));
    }

    @Test
    void anotherLinksUnlearnDoesNotRemoveTheRoute()
    {
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, 0, 7);

        bridge.onLinkSignal(SITE_C, SignalCodec.linkUnlearn(C_VAN_10, VAN_10, MAC), 0);

        assertEquals(1, bridge.routesViaLink(SITE_B));
        assertTrue(pmdRoutes(0, MAC));
    }

    @Test
    void aLinkGoingDownWithdrawsEveryRouteThroughItAndItsEdge()
    {
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, 0, 7);
        learnFromLink(SITE_B, B_VAN_10, VAN_10, OTHER_MAC, 0, 1);
        learnFromLink(SITE_C, C_VAN_20, VAN_20, MAC, 0, 3);
        assertEquals(2, bridge.routesViaLink(SITE_B));
        final long version = bridge.version();

        bridge.linkDown(SITE_B, "session lost");
        publish();

        assertEquals(0, bridge.routesViaLink(SITE_B));
        assertNull(route(VAN_10, MAC));
        assertNull(route(VAN_10, OTHER_MAC));
        assertFalse(pmdRoutes(0, MAC), "the PMDs flood to those MACs again");
        assertFalse(pmdRoutes(0, OTHER_MAC));
        assertEquals(1, bridge.routesViaLink(SITE_C), "the other link's routes stay");
        assertTrue(pmdRoutes(1, MAC));
        assertTrue(bridge.version() > version);
        assertEquals(OverlayTopology.MISSING, linkEdgeIndex(B_PUBLIC_IP), "no edge without a session");
        assertEquals(1L, counter("link_down"));
    }

    // ==== answering for the other side ====

    @Test
    void aFloodFromASiteHostForAMacBehindALinkIsAnsweredWithTheRoutesSequence()
    {
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, 0, 9);

        bridge.onFloodForLocal(VAN_10, MAC, bridge.overlayTopology(VAN_IDS).edgeIndex(PEER_A));

        final List<Sent> learns = sent(VanHeaderFlyweight.TYPE_LEARN);
        assertEquals(1, learns.size());
        assertEquals(PEER_A, learns.getFirst().destinationIp());
        assertEquals(MAC, learns.getFirst().learn().mac());
        assertEquals(9, learns.getFirst().learn().sequence(), "the sequence the link told, so a newer claim still wins");
        assertEquals(OUR_IP, learns.getFirst().learn().host(), "behind the proxy, as the site sees it");
    }

    @Test
    void aFloodFromALinkForASiteHostsMacIsAnsweredToTheLinkTranslated()
    {
        learnFrom(PEER_A, VAN_10, MAC, 0, 4);
        linkSignals.clear();

        bridge.onFloodForLocal(VAN_10, MAC, linkEdgeIndex(C_PUBLIC_IP));

        assertEquals(1, linkSignals.size());
        assertLinkLearn(linkSignals.getFirst(), SITE_C, VAN_10, C_VAN_10, MAC, 0, 4);
    }

    // ==== migration across the sites ====

    @Test
    void aNewerClaimFromALinkForAMacOfASiteHostMovesTheRouteAndTellsTheSite()
    {
        learnFrom(PEER_A, VAN_10, MAC, 0, 4);
        assertEquals(PEER_A, route(VAN_10, MAC).host());
        linkSignals.clear();
        sent();

        // the node moved to site B: B's host claimed it with 5, B's proxy passes the claim on
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 5);

        final RemoteRoutes.Entry route = route(VAN_10, MAC);
        assertEquals("proxy:site-b", bridge.hostLabel(route.host()));
        assertEquals(5, route.sequence());
        assertTrue(pmdRoutes(0, MAC));
        final List<Sent> announced = sent(VanHeaderFlyweight.TYPE_LEARN);
        assertEquals(List.of(PEER_A, PEER_B), announced.stream().map(Sent::destinationIp).sorted().toList(),
            "every site host of the VAN, the one that had it among them");
        for (final Sent learn : announced)
        {
            assertEquals(MAC, learn.learn().mac());
            assertEquals(SignalCodec.LEARN_FLAG_UPDATE_ONLY, learn.learn().flags(), "only hosts that know the MAC take it");
            assertEquals(5, learn.learn().sequence(), "the newer sequence: A gives its claim up");
            assertEquals(OUR_IP, learn.learn().host());
        }
        assertEquals(1L, counter("migrations_announced"));
        assertEquals(List.of(), linkSignals, "not passed back to any link");
    }

    @Test
    void anOlderClaimFromALinkMovesNothing()
    {
        learnFrom(PEER_A, VAN_10, MAC, 0, 4);
        sent();

        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 3);

        assertEquals(PEER_A, route(VAN_10, MAC).host());
        assertEquals(0, bridge.routesViaLink(SITE_B));
        assertEquals(List.of(), sent(VanHeaderFlyweight.TYPE_LEARN));
        assertEquals(0L, counter("migrations_announced"));
    }

    @Test
    void anUpdateOnlyClaimFromALinkForAMacThisSiteDoesNotKnowIsIgnored()
    {
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 5);

        assertNull(route(VAN_10, MAC), "a migration applies only where the MAC is known");
        assertEquals(1L, counter("learn_unsolicited"));
    }

    @Test
    void aNewerClaimFromASiteHostForAMacBehindALinkMovesTheRouteAndIsPassedToTheLinksWithUpdateOnly()
    {
        learnFromLink(SITE_B, B_VAN_10, VAN_10, MAC, 0, 5);
        assertEquals(1, bridge.routesViaLink(SITE_B));

        // the node moved from site B into this site, onto host B: its claim goes to the VAN's hosts, the proxy among them
        learnFrom(PEER_B, VAN_10, MAC, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 6);

        assertEquals(PEER_B, route(VAN_10, MAC).host());
        assertEquals(0, bridge.routesViaLink(SITE_B));
        assertTrue(pmdRoutes(0, MAC));
        assertEquals(2, linkSignals.size());
        assertLinkLearn(linkSignals.get(0), SITE_B, VAN_10, B_VAN_10, MAC, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 6);
        assertLinkLearn(linkSignals.get(1), SITE_C, VAN_10, C_VAN_10, MAC, SignalCodec.LEARN_FLAG_UPDATE_ONLY, 6);
        assertEquals(List.of(), movedAway, "never local to the proxy");
    }
}
