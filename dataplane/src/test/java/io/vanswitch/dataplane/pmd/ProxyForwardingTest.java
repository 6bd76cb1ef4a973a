package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.federation.FederationBinding;
import io.vanswitch.dataplane.federation.FrameOpener;
import io.vanswitch.dataplane.federation.FrameSealer;
import io.vanswitch.dataplane.federation.SealKey;
import io.vanswitch.dataplane.federation.SealedHeaderFlyweight;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.FakePacketIo.SentFrame;
import io.vanswitch.dataplane.testing.Frames;
import io.vanswitch.dataplane.testing.Hex;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.vanswitch.dataplane.pmd.OverlaySetup.EDGE_1;
import static io.vanswitch.dataplane.pmd.OverlaySetup.EDGE_2;
import static io.vanswitch.dataplane.pmd.OverlaySetup.MAX_INNER;
import static io.vanswitch.dataplane.pmd.OverlaySetup.PORTLESS_VAN;
import static io.vanswitch.dataplane.pmd.OverlaySetup.PORTLESS_VAN_ID;
import static io.vanswitch.dataplane.pmd.OverlaySetup.UNDERLAY;
import static io.vanswitch.dataplane.pmd.OverlaySetup.UNDERLAY_BINDING;
import static io.vanswitch.dataplane.pmd.OverlaySetup.VAN;
import static io.vanswitch.dataplane.pmd.OverlaySetup.VAN_ID;
import static io.vanswitch.dataplane.testing.OverlayFrames.DATA;
import static io.vanswitch.dataplane.testing.OverlayFrames.FLOOD;
import static io.vanswitch.dataplane.testing.OverlayFrames.INNER_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.IP_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_2_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_2_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.UDP_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.VAN_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.arp;
import static io.vanswitch.dataplane.testing.OverlayFrames.concat;
import static io.vanswitch.dataplane.testing.OverlayFrames.ethernet;
import static io.vanswitch.dataplane.testing.OverlayFrames.fromPeer;
import static io.vanswitch.dataplane.testing.OverlayFrames.get16;
import static io.vanswitch.dataplane.testing.OverlayFrames.get32;
import static io.vanswitch.dataplane.testing.OverlayFrames.getMac;
import static io.vanswitch.dataplane.testing.OverlayFrames.put16;
import static io.vanswitch.dataplane.testing.OverlayFrames.put32;
import static io.vanswitch.dataplane.testing.OverlayFrames.slice;
import static io.vanswitch.dataplane.testing.OverlayFrames.tenant;
import static io.vanswitch.dataplane.testing.OverlayFrames.vanHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A site proxy's PMD between its site and two peer proxies (a three-site mesh: this site, B and C),
 * driven by hand. The site side is the overlay of {@link OverlaySetup} (hosts 10.0.0.2 and 10.0.0.3
 * behind edges 0 and 1, VAN index 0 as id 10). The peer proxies are links 0 and 1 (edges 2 and 3)
 * on the public port; B knows VAN 10 as 42, C as 43. The test plays both peer proxies with their own
 * sealers and openers over the same keys, so what the PMD seals is opened here and what it opens was
 * sealed here, byte for byte as docs/federation.md has it (outer headers written by hand).
 */
class ProxyForwardingTest
{
    private static final long ALICE = 0x5254_0000_0001L;
    private static final long BOB = 0x5254_0000_0002L;
    private static final long CAROL = 0x5254_0000_0C0CL;
    private static final long DAVE = 0x5254_0000_0D0DL;
    private static final long NOBODY = 0x5254_0000_00FFL;

    private static final long PUBLIC_MAC = 0x5254_00C0_0201L;
    private static final int PUBLIC_IP = 0xC000_0201;
    private static final long GATEWAY_MAC = 0x5254_00C0_02FEL;
    private static final int PROXY_PORT = 4798;
    private static final int MAX_SEALED_INNER = 1432;

    private static final int LINK_B = 0;
    private static final int LINK_C = 1;
    private static final int B_IP = 0xC000_0202;
    private static final int C_IP = 0xC000_0203;
    private static final long B_MAC = 0x5254_00C0_0202L;
    private static final long C_MAC = 0x5254_00C0_0203L;
    private static final int B_VAN_ID = 42;
    private static final int C_VAN_ID = 43;
    /** The lanes the peer proxies' PMDs seal in: not ours (0), so a lane mix-up shows. */
    private static final int B_LANE = 5;
    private static final int C_LANE = 7;

    private static final RemoteEdge EDGE_B = new RemoteEdge(2, B_IP, linkTemplate(B_IP), LINK_B);
    private static final RemoteEdge EDGE_C = new RemoteEdge(3, C_IP, linkTemplate(C_IP), LINK_C);

    private static final PortBinding PUBLIC = new PortBinding(
        PmdCounters.PUBLIC_SLOT, 1, "public", 61, 0, MacAddress.NONE, PmdHarness.PMD_INDEX, 0);
    private static final PortBinding PUNT = new PortBinding(
        PmdCounters.PUNT_SLOT, 1, "vsproxy0", 62, 0, MacAddress.NONE, PmdHarness.PMD_INDEX, 0);

    private static final SealKey TO_B = key(1, 0x11);
    private static final SealKey FROM_B = key(2, 0x22);
    private static final SealKey TO_C = key(3, 0x33);
    private static final SealKey FROM_C = key(4, 0x44);

    private record OverlayEvent(String kind, int vanIndex, long mac, int edgeIndex)
    {
    }

    /** A sealed frame the PMD sent to a peer proxy, opened by that peer. */
    private record Opened(String line, byte[] inner)
    {
    }

    private final PmdHarness pmd = new PmdHarness();
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment scratch = arena.allocate(2048, 64);
    private final FrameSealer sealerAtB = new FrameSealer();
    private final FrameSealer sealerAtC = new FrameSealer();
    private final FrameOpener openerAtB = new FrameOpener();
    private final FrameOpener openerAtC = new FrameOpener();
    private final List<OverlayEvent> events = new ArrayList<>();
    private final List<Integer> signals = new ArrayList<>();

    @BeforeEach
    void install()
    {
        final int[] vanIdByIndex = new int[PmdCounters.MAX_VANS];
        vanIdByIndex[VAN] = VAN_ID;
        vanIdByIndex[PORTLESS_VAN] = PORTLESS_VAN_ID;
        final int[] everyEdge = { EDGE_1.index(), EDGE_2.index(), EDGE_B.index(), EDGE_C.index() };
        // the portless VAN is served in the site but mapped by no link: it never crosses
        final OverlayTopology overlay = new OverlayTopology(
            List.of(EDGE_1, EDGE_2, EDGE_B, EDGE_C),
            Map.of(VAN, everyEdge, PORTLESS_VAN, everyEdge),
            vanIdByIndex,
            MAX_INNER,
            Map.of(EDGE_B.index(), Map.of(VAN, B_VAN_ID), EDGE_C.index(), Map.of(VAN, C_VAN_ID)));
        final FederationBinding federation = new FederationBinding(PUBLIC, PUNT, PUBLIC_MAC, PUBLIC_IP, PROXY_PORT, MAX_SEALED_INNER);
        // a proxy needs the VAN defined but no port in it
        pmd.install(new ForwardingTopology(List.of(), UNDERLAY_BINDING, overlay, federation));

        pmd.proxy.installLinkTxKey(LINK_B, TO_B);
        pmd.proxy.installLinkRxKey(LINK_B, FROM_B);
        pmd.proxy.installLinkTxKey(LINK_C, TO_C);
        pmd.proxy.installLinkRxKey(LINK_C, FROM_C);
        pmd.agent.doWork();
        openerAtB.install(TO_B);
        sealerAtB.rekey(FROM_B, B_LANE);
        openerAtC.install(TO_C);
        sealerAtC.rekey(FROM_C, C_LANE);
    }

    @AfterEach
    void close()
    {
        pmd.proxy.clearLink(LINK_B, false);
        pmd.proxy.clearLink(LINK_C, false);
        pmd.agent.doWork();
        sealerAtB.close();
        sealerAtC.close();
        openerAtB.close();
        openerAtC.close();
        arena.close();
        pmd.close();
    }

    private static SealKey key(final int keyId, final int seed)
    {
        final byte[] key = new byte[SealKey.KEY_LENGTH];
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(seed + 7 * i);
        }
        return new SealKey(keyId, key, new byte[] { (byte)seed, 1, 2 });
    }

    /** The outer headers to a peer proxy: public MAC to the gateway's, public address to the peer's, proxy port both ways. */
    private static byte[] linkTemplate(final int peerIp)
    {
        final byte[] template = new byte[RemoteEdge.OUTER_LENGTH];
        ethernet(template, GATEWAY_MAC, PUBLIC_MAC, 0x0800);
        template[IP_AT] = 0x45;
        put16(template, IP_AT + 6, 0x4000);
        template[IP_AT + 8] = 64;
        template[IP_AT + 9] = 17;
        put32(template, IP_AT + 12, PUBLIC_IP);
        put32(template, IP_AT + 16, peerIp);
        put16(template, UDP_AT, PROXY_PORT);
        put16(template, UDP_AT + 2, PROXY_PORT);
        return template;
    }

    // ---- playing the peer proxies ----

    /** Seals the VAN header and tenant frame as a peer proxy's PMD does. */
    private byte[] seal(final FrameSealer sealer, final byte[] plaintext)
    {
        MemorySegment.copy(plaintext, 0, scratch, ValueLayout.JAVA_BYTE, SealedHeaderFlyweight.HEADER_LENGTH, plaintext.length);
        final int sealedLength = sealer.seal(scratch.address(), plaintext.length);
        assertEquals(plaintext.length + SealedHeaderFlyweight.OVERHEAD, sealedLength);
        return scratch.asSlice(0, sealedLength).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A UDP datagram from a peer proxy's public address to ours, proxy port to proxy port, carrying {@code payload}. */
    private static byte[] fromPublic(final long peerMac, final int peerIp, final byte[] payload)
    {
        final int ipLength = 20 + 8 + payload.length;
        final byte[] frame = new byte[Math.max(60, 14 + ipLength)];
        ethernet(frame, PUBLIC_MAC, peerMac, 0x0800);
        frame[IP_AT] = 0x45;
        put16(frame, IP_AT + 2, ipLength);
        put16(frame, IP_AT + 6, 0x4000);
        frame[IP_AT + 8] = 64;
        frame[IP_AT + 9] = 17;
        put32(frame, IP_AT + 12, peerIp);
        put32(frame, IP_AT + 16, PUBLIC_IP);
        put16(frame, IP_AT + 10, Hex.referenceChecksum(frame, IP_AT, 20));
        put16(frame, UDP_AT, PROXY_PORT);
        put16(frame, UDP_AT + 2, PROXY_PORT);
        put16(frame, UDP_AT + 4, 8 + payload.length);
        System.arraycopy(payload, 0, frame, VAN_AT, payload.length);
        return frame;
    }

    private byte[] fromB(final int type, final int sourceVanId, final int destinationVanId, final byte[] inner)
    {
        return fromPublic(B_MAC, B_IP, seal(sealerAtB, concat(vanHeader(type, sourceVanId, destinationVanId), inner)));
    }

    private byte[] fromC(final int type, final int sourceVanId, final int destinationVanId, final byte[] inner)
    {
        return fromPublic(C_MAC, C_IP, seal(sealerAtC, concat(vanHeader(type, sourceVanId, destinationVanId), inner)));
    }

    /**
     * Checks the outer headers of a frame the PMD sent on the public port and opens it as the peer at
     * its destination address would: "DATA 10->42 to 192.0.2.2" and the tenant frame.
     */
    private Opened open(final SentFrame sent)
    {
        final byte[] frame = sent.bytes();
        assertEquals(GATEWAY_MAC, getMac(frame, 0), "to the next hop towards the peer");
        assertEquals(PUBLIC_MAC, getMac(frame, 6), "from our public MAC");
        assertEquals(0x0800, get16(frame, 12));
        final int ipLength = get16(frame, IP_AT + 2);
        assertEquals(frame.length, 14 + ipLength, "the frame is the datagram");
        assertEquals(0, Hex.referenceChecksum(frame, IP_AT, 20), "valid IPv4 checksum");
        assertEquals(PUBLIC_IP, get32(frame, IP_AT + 12), "from our public address, never a site host's");
        assertEquals(PROXY_PORT, get16(frame, UDP_AT));
        assertEquals(PROXY_PORT, get16(frame, UDP_AT + 2));
        assertEquals(ipLength - 20, get16(frame, UDP_AT + 4));
        final int peer = get32(frame, IP_AT + 16);
        final FrameOpener opener = peer == B_IP ? openerAtB : peer == C_IP ? openerAtC : null;
        assertEquals(true, null != opener, "to a peer proxy, not " + Ipv4Address.format(peer));

        final byte[] sealed = slice(frame, VAN_AT, frame.length);
        assertEquals(PmdHarness.PMD_INDEX, sealed[SealedHeaderFlyweight.LANE_OFFSET], "sealed in this PMD's lane");
        MemorySegment.copy(sealed, 0, scratch, ValueLayout.JAVA_BYTE, 0, sealed.length);
        final int opened = opener.open(scratch.address(), sealed.length);
        assertEquals(sealed.length - SealedHeaderFlyweight.OVERHEAD, opened, "the peer opens it: " + FrameOpener.reasonName(opened));
        final byte[] plaintext = scratch.asSlice(SealedHeaderFlyweight.HEADER_LENGTH, opened).toArray(ValueLayout.JAVA_BYTE);
        assertEquals(0x10, plaintext[0] & 0xF0, "VAN header version 1");
        final int type = plaintext[0] & 0x0F;
        final String line = (type == DATA ? "DATA" : type == FLOOD ? "FLOOD" : "type " + type) + " " +
            get32(plaintext, 4) + "->" + get32(plaintext, 8) + " to " + Ipv4Address.format(peer);
        return new Opened(line, slice(plaintext, 12, plaintext.length));
    }

    private List<Opened> publicFrames()
    {
        final List<Opened> frames = new ArrayList<>();
        pmd.io.sentOn(PUBLIC.dpdkPortId()).forEach(sent -> frames.add(open(sent)));
        return frames;
    }

    private static List<String> lines(final List<Opened> frames)
    {
        return frames.stream().map(Opened::line).toList();
    }

    /** What the PMD put on the site's underlay, in one line each (checked as OverlayForwardingTest does). */
    private List<String> underlayLines()
    {
        final List<String> lines = new ArrayList<>();
        for (final SentFrame sent : pmd.io.sentOn(UNDERLAY.dpdkPortId()))
        {
            final byte[] frame = sent.bytes();
            assertEquals(OUR_MAC, getMac(frame, 6), "from our underlay MAC");
            assertEquals(OUR_IP, get32(frame, IP_AT + 12), "from our underlay address");
            assertEquals(0, Hex.referenceChecksum(frame, IP_AT, 20));
            final int type = frame[VAN_AT] & 0x0F;
            lines.add((type == DATA ? "DATA" : type == FLOOD ? "FLOOD" : "type " + type) + " " +
                get32(frame, VAN_AT + 4) + "->" + get32(frame, VAN_AT + 8) + " to " + Ipv4Address.format(get32(frame, IP_AT + 16)));
        }
        return lines;
    }

    private byte[] underlayInner(final int index)
    {
        final byte[] frame = pmd.io.sentOn(UNDERLAY.dpdkPortId()).get(index).bytes();
        return slice(frame, INNER_AT, frame.length);
    }

    private void fromSite(final long peerMac, final int peerIp, final int type, final byte[] inner)
    {
        pmd.receive(UNDERLAY, fromPeer(peerMac, peerIp, tenant(type, VAN_ID, inner)));
    }

    private void onPublic(final byte[]... frames)
    {
        pmd.receive(PUBLIC, frames);
    }

    private void installRemote(final long mac, final int edgeIndex)
    {
        pmd.proxy.installRemote(VAN, mac, edgeIndex);
        pmd.agent.doWork();
    }

    private long link(final int link, final int counter)
    {
        return pmd.counters.link(link, counter);
    }

    private long underlay(final int counter)
    {
        return pmd.counters.underlay(counter);
    }

    private void drain()
    {
        pmd.agent.learnEvents().drain(
            (vanIndex, mac, slot, generation) -> events.add(new OverlayEvent("learned", vanIndex, mac, slot)),
            (ip, mac) -> events.add(new OverlayEvent("neighbor", 0, mac, ip)),
            new LearnEventRing.OverlayEvents()
            {
                public void onFloodForLocal(final int vanIndex, final long mac, final int edgeIndex)
                {
                    events.add(new OverlayEvent("flood_for_local", vanIndex, mac, edgeIndex));
                }

                public void onDataNotHere(final int vanIndex, final long mac, final int edgeIndex)
                {
                    events.add(new OverlayEvent("data_not_here", vanIndex, mac, edgeIndex));
                }

                public void onSignal(final int senderIp, final DirectBuffer buffer, final int offset, final int length)
                {
                    signals.add(senderIp);
                }
            },
            Integer.MAX_VALUE);
    }

    private void assertNothingSent()
    {
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size(), "nothing into the site");
        assertEquals(0, pmd.io.sentOn(PUBLIC.dpdkPortId()).size(), "nothing to a peer proxy");
        assertEquals(0, pmd.io.sentOn(PUNT.dpdkPortId()).size(), "nothing to the kernel");
    }

    // ==== site -> peer proxies ====

    @Test
    void aFloodFromASiteHostGoesSealedToEveryPeerProxyWithItsVanIdAndNeverBackIntoTheSite()
    {
        final byte[] inner = Frames.frame(NOBODY, ALICE);

        fromSite(PEER_1_MAC, PEER_1_IP, FLOOD, inner);

        // opened once: a second opening would be (rightly) a replay
        final List<Opened> frames = publicFrames();
        assertEquals(List.of("FLOOD 10->42 to 192.0.2.2", "FLOOD 10->43 to 192.0.2.3"), lines(frames),
            "each peer's copy in its own VAN id, sealed with its own key");
        assertArrayEquals(inner, frames.get(0).inner());
        assertArrayEquals(inner, frames.get(1).inner());
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size(), "split horizon: not to the site's other host, not back");
        assertEquals(1, link(LINK_B, PmdCounters.LINK_TX_PACKETS));
        assertEquals(1, link(LINK_C, PmdCounters.LINK_TX_PACKETS));
        assertEquals(pmd.io.sentOn(PUBLIC.dpdkPortId()).get(0).bytes().length, link(LINK_B, PmdCounters.LINK_TX_BYTES));
        assertEquals(60 + 42 + 12 + 12 + 16, link(LINK_B, PmdCounters.LINK_TX_BYTES), "82 bytes of overhead");
        assertEquals(2, pmd.van(VAN, PmdCounters.VAN_ENCAPSULATED));
        drain();
        assertEquals(List.of(), events);
        pmd.assertNoLeaks();
    }

    @Test
    void aBroadcastFromASiteHostReachesEveryPeerProxyOnce()
    {
        final byte[] inner = Frames.frame(MacAddress.BROADCAST, ALICE);

        fromSite(PEER_2_MAC, PEER_2_IP, FLOOD, inner);

        // opened once: a second opening would be (rightly) a replay
        final List<Opened> frames = publicFrames();
        assertEquals(List.of("FLOOD 10->42 to 192.0.2.2", "FLOOD 10->43 to 192.0.2.3"), lines(frames));
        assertArrayEquals(inner, frames.get(1).inner());
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size(), "split horizon");
        drain();
        assertEquals(List.of(), events, "group destinations never ask for LEARN");
        pmd.assertNoLeaks();
    }

    @Test
    void aVanNoPeerProxyMapsStaysInTheSite()
    {
        pmd.receive(UNDERLAY, fromPeer(PEER_1_MAC, PEER_1_IP, tenant(FLOOD, PORTLESS_VAN_ID, Frames.frame(MacAddress.BROADCAST, ALICE))));

        assertNothingSent();
        pmd.assertNoLeaks();
    }

    @Test
    void dataForAMacBehindAPeerProxyGoesSealedToThatProxyOnlyAsData()
    {
        installRemote(CAROL, EDGE_B.index());
        final byte[] inner = Frames.frame(CAROL, ALICE);

        fromSite(PEER_1_MAC, PEER_1_IP, DATA, inner);

        // opened once: a second opening would be (rightly) a replay
        final List<Opened> frames = publicFrames();
        assertEquals(List.of("DATA 10->42 to 192.0.2.2"), lines(frames));
        assertArrayEquals(inner, frames.getFirst().inner());
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        assertEquals(0, link(LINK_C, PmdCounters.LINK_TX_PACKETS));
        drain();
        assertEquals(List.of(), events, "DATA that found its way says nothing");
        pmd.assertNoLeaks();
    }

    @Test
    void aFloodForAMacBehindAPeerProxyGoesAsDataAndTheSiteHostIsAnsweredForIt()
    {
        installRemote(CAROL, EDGE_C.index());
        final byte[] inner = Frames.frame(CAROL, ALICE);

        fromSite(PEER_2_MAC, PEER_2_IP, FLOOD, inner);

        // opened once: a second opening would be (rightly) a replay
        final List<Opened> frames = publicFrames();
        assertEquals(List.of("DATA 10->43 to 192.0.2.3"), lines(frames), "not flooded across: one DATA to the proxy that has it");
        assertArrayEquals(inner, frames.getFirst().inner());
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        drain();
        assertEquals(List.of(new OverlayEvent("flood_for_local", VAN, CAROL, EDGE_2.index())), events,
            "the proxy answers the site host with LEARN, as if CAROL were local to it");
        pmd.assertNoLeaks();
    }

    @Test
    void aFrameForAPeerProxyWithoutAKeyIsDroppedAndCounted()
    {
        pmd.proxy.clearLink(LINK_C, false);
        pmd.agent.doWork();

        fromSite(PEER_1_MAC, PEER_1_IP, FLOOD, Frames.frame(MacAddress.BROADCAST, ALICE));

        // opened once: a second opening would be (rightly) a replay
        final List<Opened> frames = publicFrames();
        assertEquals(List.of("FLOOD 10->42 to 192.0.2.2"), lines(frames));
        assertEquals(1, link(LINK_C, PmdCounters.LINK_DROP_NO_KEY));
        assertEquals(0, link(LINK_C, PmdCounters.LINK_TX_PACKETS));
        pmd.assertNoLeaks();
    }

    // ==== peer proxy -> site ====

    @Test
    void aFloodFromAPeerProxyGoesToEverySiteHostInOurVanIdAndNeverToAnotherPeerProxy()
    {
        final byte[] inner = Frames.frame(NOBODY, DAVE);

        onPublic(fromB(FLOOD, B_VAN_ID, VAN_ID, inner));

        assertEquals(List.of("FLOOD 10->10 to 10.0.0.2", "FLOOD 10->10 to 10.0.0.3"), underlayLines(),
            "translated to this site's VAN id, head-end replicated to the site's hosts");
        assertArrayEquals(inner, underlayInner(0));
        assertArrayEquals(inner, underlayInner(1));
        assertEquals(0, pmd.io.sentOn(PUBLIC.dpdkPortId()).size(), "split horizon: never on to C (or back to B)");
        assertEquals(0, pmd.io.sentOn(PUNT.dpdkPortId()).size());
        assertEquals(1, link(LINK_B, PmdCounters.LINK_RX_PACKETS));
        assertEquals(0, link(LINK_C, PmdCounters.LINK_RX_PACKETS));
        assertEquals(1, pmd.van(VAN, PmdCounters.VAN_DECAPSULATED));
        assertEquals(1, pmd.counters.port(PUBLIC.slot(), PmdCounters.PORT_RX_PACKETS));
        drain();
        assertEquals(List.of(), events);
        pmd.assertNoLeaks();
    }

    @Test
    void eachPeerProxyIsOpenedWithItsOwnKeyAndTranslatedByItsOwnMap()
    {
        final byte[] inner = Frames.frame(MacAddress.BROADCAST, DAVE);

        onPublic(fromB(FLOOD, B_VAN_ID, VAN_ID, inner), fromC(FLOOD, C_VAN_ID, VAN_ID, inner));

        assertEquals(List.of(
            "FLOOD 10->10 to 10.0.0.2", "FLOOD 10->10 to 10.0.0.3",
            "FLOOD 10->10 to 10.0.0.2", "FLOOD 10->10 to 10.0.0.3"), underlayLines());
        assertEquals(0, pmd.io.sentOn(PUBLIC.dpdkPortId()).size(), "a three-site mesh: no frame goes from B to C or C to B");
        assertEquals(1, link(LINK_B, PmdCounters.LINK_RX_PACKETS));
        assertEquals(1, link(LINK_C, PmdCounters.LINK_RX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void dataFromAPeerProxyGoesToTheSiteHostItsRoutePointsAt()
    {
        installRemote(BOB, EDGE_2.index());
        final byte[] inner = Frames.frame(BOB, DAVE);

        onPublic(fromB(DATA, B_VAN_ID, VAN_ID, inner));

        assertEquals(List.of("DATA 10->10 to 10.0.0.3"), underlayLines());
        assertArrayEquals(inner, underlayInner(0));
        assertEquals(0, pmd.io.sentOn(PUBLIC.dpdkPortId()).size());
        drain();
        assertEquals(List.of(), events);
        pmd.assertNoLeaks();
    }

    @Test
    void aFloodFromAPeerProxyForASiteHostsMacGoesAsDataAndThePeerIsAnsweredForIt()
    {
        installRemote(BOB, EDGE_1.index());
        final byte[] inner = Frames.frame(BOB, DAVE);

        onPublic(fromC(FLOOD, C_VAN_ID, VAN_ID, inner));

        assertEquals(List.of("DATA 10->10 to 10.0.0.2"), underlayLines());
        assertArrayEquals(inner, underlayInner(0));
        drain();
        assertEquals(List.of(new OverlayEvent("flood_for_local", VAN, BOB, EDGE_C.index())), events);
        pmd.assertNoLeaks();
    }

    @Test
    void framesFromOnePeerProxyForAMacBehindAnotherAreNeverRelayedBetweenThem()
    {
        installRemote(CAROL, EDGE_C.index());

        onPublic(fromB(DATA, B_VAN_ID, VAN_ID, Frames.frame(CAROL, DAVE)));

        assertNothingSent();
        assertEquals(1, underlay(PmdCounters.UNDERLAY_DROP_NOT_HERE));
        drain();
        assertEquals(List.of(new OverlayEvent("data_not_here", VAN, CAROL, EDGE_B.index())), events, "B is told to unlearn");

        onPublic(fromB(FLOOD, B_VAN_ID, VAN_ID, Frames.frame(CAROL, DAVE)));

        assertEquals(List.of("FLOOD 10->10 to 10.0.0.2", "FLOOD 10->10 to 10.0.0.3"), underlayLines(),
            "a FLOOD from B is the site's only, even for a MAC behind C");
        assertEquals(0, pmd.io.sentOn(PUBLIC.dpdkPortId()).size());
        pmd.assertNoLeaks();
    }

    @Test
    void aFrameOfAVanPairTheLinkDoesNotMapIsDroppedAndCounted()
    {
        final byte[] inner = Frames.frame(MacAddress.BROADCAST, DAVE);

        onPublic(
            fromB(FLOOD, 99, VAN_ID, inner),               // a VAN of B's that B does not share with us
            fromB(FLOOD, C_VAN_ID, VAN_ID, inner),         // C's id for our VAN: not B's
            fromB(FLOOD, B_VAN_ID, PORTLESS_VAN_ID, inner), // B's VAN, claimed for another of ours
            fromB(DATA, B_VAN_ID, 77, inner));             // no VAN of ours at all

        assertNothingSent();
        assertEquals(4, link(LINK_B, PmdCounters.LINK_DROP_UNMAPPED_VAN));
        assertEquals(4, link(LINK_B, PmdCounters.LINK_RX_PACKETS), "authentic, so counted as received");
        assertEquals(0, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        drain();
        assertEquals(List.of(), events);
        pmd.assertNoLeaks();
    }

    @Test
    void aTamperedFrameIsDroppedAndCountedAndNothingIsSent()
    {
        final byte[] frame = fromB(FLOOD, B_VAN_ID, VAN_ID, Frames.frame(MacAddress.BROADCAST, DAVE));
        frame[VAN_AT + SealedHeaderFlyweight.HEADER_LENGTH + 20] ^= 0x01;

        onPublic(frame);

        assertNothingSent();
        assertEquals(1, link(LINK_B, PmdCounters.LINK_OPEN_FAILED_BASE - FrameOpener.AUTH_FAILED));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        pmd.assertNoLeaks();
    }

    @Test
    void aFrameUnderAKeyTheLinkDoesNotHaveIsDroppedAndCounted()
    {
        final byte[] plaintext = concat(vanHeader(FLOOD, B_VAN_ID, VAN_ID), Frames.frame(MacAddress.BROADCAST, DAVE));
        try (FrameSealer forger = new FrameSealer())
        {
            // B's key id with other key bytes: the tag cannot match
            forger.rekey(key(FROM_B.keyId(), 0x99), B_LANE);
            onPublic(fromPublic(B_MAC, B_IP, seal(forger, plaintext)));
        }
        // C's key under B's address: an id B's opener does not know
        onPublic(fromPublic(B_MAC, B_IP, seal(sealerAtC, plaintext)));

        assertNothingSent();
        assertEquals(1, link(LINK_B, PmdCounters.LINK_OPEN_FAILED_BASE - FrameOpener.AUTH_FAILED));
        assertEquals(1, link(LINK_B, PmdCounters.LINK_OPEN_FAILED_BASE - FrameOpener.UNKNOWN_KEY));
        assertEquals(0, link(LINK_C, PmdCounters.LINK_RX_PACKETS), "the sender's address names the link, not the key");

        onPublic(fromB(FLOOD, B_VAN_ID, VAN_ID, Frames.frame(MacAddress.BROADCAST, DAVE)));

        assertEquals(2, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size(), "a forged frame used up no counter of B's window");
        pmd.assertNoLeaks();
    }

    @Test
    void aReplayedFrameIsDroppedAndCountedAfterTheOriginalWasDelivered()
    {
        final byte[] frame = fromB(FLOOD, B_VAN_ID, VAN_ID, Frames.frame(MacAddress.BROADCAST, DAVE));

        onPublic(frame);
        assertEquals(2, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        pmd.io.clearSent();

        onPublic(frame.clone());

        assertNothingSent();
        assertEquals(1, link(LINK_B, PmdCounters.LINK_OPEN_FAILED_BASE - FrameOpener.REPLAYED));
        assertEquals(0, link(LINK_B, PmdCounters.LINK_OPEN_FAILED_BASE - FrameOpener.AUTH_FAILED));
        pmd.assertNoLeaks();
    }

    @Test
    void aSealedFrameFromAnAddressThatIsNoPeerProxyIsDroppedAndCounted()
    {
        onPublic(fromPublic(B_MAC, 0xC000_0263, seal(sealerAtB,
            concat(vanHeader(FLOOD, B_VAN_ID, VAN_ID), Frames.frame(MacAddress.BROADCAST, DAVE)))));

        assertNothingSent();
        assertEquals(1, underlay(PmdCounters.PUBLIC_UNKNOWN_SENDER));
        assertEquals(0, link(LINK_B, PmdCounters.LINK_RX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void aSignalOnTheDataChannelIsDroppedAndCounted()
    {
        // signals cross only inside the TLS session: a LEARN sealed on the data channel is not one
        final byte[] learnBody = new byte[12];
        onPublic(fromB(3, B_VAN_ID, VAN_ID, learnBody));

        assertNothingSent();
        assertEquals(1, link(LINK_B, PmdCounters.LINK_DROP_NOT_FRAME));
        drain();
        assertEquals(List.of(), signals, "never handed to the control thread");
        pmd.assertNoLeaks();
    }

    // ==== the kernel interface behind the public port ====

    @Test
    void everythingOnThePublicPortButSealedDataIsPassedToTheKernelUnchanged()
    {
        final byte[] arpRequest = arp(MacAddress.BROADCAST, 1, B_MAC, B_IP, MacAddress.NONE, PUBLIC_IP);
        final byte[] tcp = fromPublic(B_MAC, B_IP, new byte[40]);
        tcp[IP_AT + 9] = 6; // the session's TCP to the proxy port: not sealed data
        put16(tcp, IP_AT + 10, 0);
        put16(tcp, IP_AT + 10, Hex.referenceChecksum(tcp, IP_AT, 20));
        final byte[] toAnotherPort = fromPublic(B_MAC, B_IP, new byte[64]);
        put16(toAnotherPort, UDP_AT + 2, 33434);

        onPublic(arpRequest, tcp, toAnotherPort);

        final List<SentFrame> punted = pmd.io.sentOn(PUNT.dpdkPortId());
        assertEquals(3, punted.size());
        assertArrayEquals(arpRequest, punted.get(0).bytes());
        assertArrayEquals(tcp, punted.get(1).bytes());
        assertArrayEquals(toAnotherPort, punted.get(2).bytes());
        assertEquals(3, underlay(PmdCounters.PUBLIC_PUNTED));
        assertEquals(0, pmd.io.sentOn(PUBLIC.dpdkPortId()).size());
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        assertEquals(0, link(LINK_B, PmdCounters.LINK_RX_PACKETS));
        pmd.assertNoLeaks();
    }

    @Test
    void whatTheKernelSendsLeavesByThePublicPortUnchanged()
    {
        final byte[] arpReply = arp(B_MAC, 2, PUBLIC_MAC, PUBLIC_IP, B_MAC, B_IP);
        final byte[] segment = Arrays.copyOf(Frames.frame(GATEWAY_MAC, PUBLIC_MAC), 90);

        pmd.receive(PUNT, arpReply, segment);

        final List<SentFrame> sent = pmd.io.sentOn(PUBLIC.dpdkPortId());
        assertEquals(2, sent.size());
        assertArrayEquals(arpReply, sent.get(0).bytes());
        assertArrayEquals(segment, sent.get(1).bytes());
        assertEquals(2, underlay(PmdCounters.PUBLIC_FROM_KERNEL));
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        assertEquals(0, pmd.io.sentOn(PUNT.dpdkPortId()).size());
        pmd.assertNoLeaks();
    }

    /**
     * Every path of a proxy allocates nothing: floods from the site sealed to both peer proxies (deep
     * copies), DATA sealed to a link, sealed frames opened and flooded or sent on into the site, and
     * the kernel interface's traffic both ways. As in PipelineAllocationTest, only the duty cycle is
     * measured (frames are queued outside it), and one round of the rounds must allocate nothing at
     * all: the JVM can allocate on this thread once when it submits a compile.
     */
    @Test
    void everyProxyPathAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        installRemote(BOB, EDGE_1.index());
        installRemote(CAROL, EDGE_B.index());
        pmd.io.recordTx(false);
        final int warmUpCycles = 20_000;
        final int cycles = 5_000;
        final int rounds = 5;
        // sealed frames are unique (the replay window): made before, two a cycle
        final byte[][] sealed = new byte[2 * (warmUpCycles + rounds * cycles)][];
        for (int i = 0; i < sealed.length; i += 2)
        {
            sealed[i] = fromB(DATA, B_VAN_ID, VAN_ID, Frames.frame(BOB, DAVE));
            sealed[i + 1] = fromB(FLOOD, B_VAN_ID, VAN_ID, Frames.frame(MacAddress.BROADCAST, DAVE));
        }
        final byte[] siteFlood = fromPeer(PEER_1_MAC, PEER_1_IP, tenant(FLOOD, VAN_ID, Frames.frame(MacAddress.BROADCAST, ALICE)));
        final byte[] siteData = fromPeer(PEER_2_MAC, PEER_2_IP, tenant(DATA, VAN_ID, Frames.frame(CAROL, ALICE)));
        final byte[] arpRequest = arp(MacAddress.BROADCAST, 1, B_MAC, B_IP, MacAddress.NONE, PUBLIC_IP);
        final byte[] fromKernel = arp(B_MAC, 2, PUBLIC_MAC, PUBLIC_IP, B_MAC, B_IP);
        final byte[][] others = { siteFlood, siteData, arpRequest, fromKernel };
        int next = 0;
        for (int i = 0; i < warmUpCycles; i++)
        {
            proxyCycle(threads, others, sealed[next++], sealed[next++]);
        }
        final List<String> measured = new ArrayList<>();
        long allocated = -1;
        for (int round = 0; round < rounds && allocated != 0; round++)
        {
            allocated = 0;
            for (int i = 0; i < cycles; i++)
            {
                allocated += proxyCycle(threads, others, sealed[next++], sealed[next++]);
            }
            measured.add(allocated + " bytes");
        }
        assertEquals(0, allocated, "rounds of " + cycles + " duty cycles (6 frames each): " + measured);
        assertEquals(next, link(LINK_B, PmdCounters.LINK_RX_PACKETS), "every sealed frame opened");
        assertEquals(0, link(LINK_B, PmdCounters.LINK_OPEN_FAILED_BASE - FrameOpener.REPLAYED));
        pmd.assertNoLeaks();
    }


    /** One duty cycle over six frames (queued before it): the bytes the duty cycle allocated. */
    private long proxyCycle(
        final com.sun.management.ThreadMXBean threads, final byte[][] others, final byte[] sealedData, final byte[] sealedFlood)
    {
        pmd.io.receive(UNDERLAY.dpdkPortId(), others[0]);
        pmd.io.receive(UNDERLAY.dpdkPortId(), others[1]);
        pmd.io.receive(PUBLIC.dpdkPortId(), sealedData);
        pmd.io.receive(PUBLIC.dpdkPortId(), sealedFlood);
        pmd.io.receive(PUBLIC.dpdkPortId(), others[2]);
        pmd.io.receive(PUNT.dpdkPortId(), others[3]);
        final long before = threads.getCurrentThreadAllocatedBytes();
        pmd.agent.doWork();
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // the events ring is the control thread's: emptied outside the window so that it never fills
        pmd.agent.learnEvents().drain((vanIndex, mac, slot, generation) -> { }, (ip, mac) -> { }, Integer.MAX_VALUE);
        return allocated;
    }

}
