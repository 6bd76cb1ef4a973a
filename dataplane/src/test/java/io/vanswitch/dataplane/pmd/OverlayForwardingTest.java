package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.FakePacketIo.SentFrame;
import io.vanswitch.dataplane.testing.Frames;
import io.vanswitch.dataplane.testing.Hex;
import io.vanswitch.dataplane.testing.OverlayFrames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vanswitch.dataplane.pmd.OverlaySetup.EDGE_1;
import static io.vanswitch.dataplane.pmd.OverlaySetup.EDGE_2;
import static io.vanswitch.dataplane.pmd.OverlaySetup.LOCAL_VAN;
import static io.vanswitch.dataplane.pmd.OverlaySetup.MAX_INNER;
import static io.vanswitch.dataplane.pmd.OverlaySetup.UNDERLAY;
import static io.vanswitch.dataplane.pmd.OverlaySetup.VAN;
import static io.vanswitch.dataplane.pmd.OverlaySetup.bothEdges;
import static io.vanswitch.dataplane.pmd.OverlaySetup.overlay;
import static io.vanswitch.dataplane.pmd.OverlaySetup.topology;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static io.vanswitch.dataplane.testing.OverlayFrames.INNER_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.IP_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.VAN_AT;
import static io.vanswitch.dataplane.testing.OverlayFrames.arp;
import static io.vanswitch.dataplane.testing.OverlayFrames.get32;
import static io.vanswitch.dataplane.testing.OverlayFrames.getMac;
import static io.vanswitch.dataplane.testing.OverlayFrames.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Frames from local ports towards the overlay: unknown destinations flood to the local ports and,
 * head-end replicated, to every peer host serving the VAN; a remote route (installed by the control
 * thread on a LEARN) turns that into one DATA frame to one host; the ARP proxy keeps requests for
 * known addresses off the underlay altogether.
 */
class OverlayForwardingTest
{
    private static final long ALICE = 0x5254_0000_0001L;
    private static final int ALICE_IP = 0x0A01_0001;
    private static final long BOB = 0x5254_0000_0002L;
    private static final int BOB_IP = 0x0A01_0002;
    private static final long REMOTE_DAVE = 0x5254_0000_0D0DL;

    private static final String FLOOD_TO_PEER_1 = "FLOOD 10->10 to 10.0.0.2 via 52:54:00:ab:cd:ef";
    private static final String FLOOD_TO_PEER_2 = "FLOOD 10->10 to 10.0.0.3 via 52:54:00:ab:cd:02";
    private static final String DATA_TO_PEER_2 = "DATA 10->10 to 10.0.0.3 via 52:54:00:ab:cd:02";

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding p0 = port(0, VAN);
    private final PortBinding p1 = port(1, VAN);
    private final PortBinding p2 = port(2, VAN);
    private final PortBinding local3 = port(3, LOCAL_VAN);
    private final PortBinding local4 = port(4, LOCAL_VAN);

    @BeforeEach
    void install()
    {
        pmd.install(topology(bothEdges(), p0, p1, p2, local3, local4));
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    /** What an underlay frame is, in one line: type, VAN ids, outer destination; the rest is checked here. */
    private static String describe(final SentFrame sent)
    {
        final byte[] frame = sent.bytes();
        assertEquals(OUR_MAC, getMac(frame, 6), "from our underlay MAC");
        assertEquals(OUR_IP, get32(frame, IP_AT + 12), "from our underlay address");
        assertEquals(0, Hex.referenceChecksum(frame, IP_AT, 20), "valid IPv4 checksum");
        assertEquals(0x10, frame[VAN_AT] & 0xF0, "version 1");
        final int type = frame[VAN_AT] & 0x0F;
        return (type == 1 ? "DATA" : type == 2 ? "FLOOD" : "type " + type) + " " +
            get32(frame, VAN_AT + 4) + "->" + get32(frame, VAN_AT + 8) + " to " +
            Ipv4Address.format(get32(frame, IP_AT + 16)) + " via " + MacAddress.format(getMac(frame, 0));
    }

    private List<String> underlayFrames()
    {
        final List<String> frames = new ArrayList<>();
        pmd.io.sentOn(UNDERLAY.dpdkPortId()).forEach(sent -> frames.add(describe(sent)));
        return frames;
    }

    private byte[] innerOf(final int index)
    {
        final byte[] frame = pmd.io.sentOn(UNDERLAY.dpdkPortId()).get(index).bytes();
        return slice(frame, INNER_AT, frame.length);
    }

    private long underlay(final int counter)
    {
        return pmd.counters.underlay(counter);
    }

    private void installRemote(final long mac, final int edgeIndex)
    {
        pmd.proxy.installRemote(VAN, mac, edgeIndex);
        pmd.agent.doWork();
    }

    @Test
    void unknownUnicastFloodsToTheOtherLocalPortsAndOnceToEachServingPeer()
    {
        final byte[] frame = Frames.frame(REMOTE_DAVE, ALICE);

        pmd.receive(p0, frame);

        assertEquals(0, pmd.sentOn(p0).size(), "never back to the ingress port");
        assertArrayEquals(frame, pmd.sentOn(p1).get(0).bytes());
        assertArrayEquals(frame, pmd.sentOn(p2).get(0).bytes());
        assertEquals(0, pmd.sentOn(local3).size() + pmd.sentOn(local4).size(), "never into another VAN");
        assertEquals(List.of(FLOOD_TO_PEER_1, FLOOD_TO_PEER_2), underlayFrames(), "each copy with its own outer headers");
        assertArrayEquals(frame, innerOf(0));
        assertArrayEquals(frame, innerOf(1));
        assertEquals(2, underlay(PmdCounters.UNDERLAY_FLOOD_COPIES));
        assertEquals(2, underlay(PmdCounters.UNDERLAY_ENCAPSULATED));
        assertEquals(2, pmd.van(VAN, PmdCounters.VAN_ENCAPSULATED));
        assertEquals(1, pmd.van(VAN, PmdCounters.VAN_FLOODED));
        assertEquals(2, pmd.counters.port(UNDERLAY.slot(), PmdCounters.PORT_TX_PACKETS));
        assertEquals(2 * (54 + 60), pmd.counters.port(UNDERLAY.slot(), PmdCounters.PORT_TX_BYTES));
        pmd.assertNoLeaks();
    }

    @Test
    void broadcastReachesEveryServingPeerToo()
    {
        pmd.receive(p1, Frames.frame(MacAddress.BROADCAST, ALICE));

        assertEquals(List.of(MacAddress.BROADCAST), pmd.destinationsSentOn(p0));
        assertEquals(List.of(MacAddress.BROADCAST), pmd.destinationsSentOn(p2));
        assertEquals(List.of(FLOOD_TO_PEER_1, FLOOD_TO_PEER_2), underlayFrames());
        pmd.assertNoLeaks();
    }

    @Test
    void floodsOnlyToThePeersThatServeTheVan()
    {
        pmd.install(topology(overlay(MAX_INNER, List.of(EDGE_1, EDGE_2), EDGE_2.index()), p0, p1, p2, local3, local4));

        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(List.of(FLOOD_TO_PEER_2), underlayFrames());
        assertEquals(1, pmd.sentOn(p1).size());
        pmd.assertNoLeaks();
    }

    @Test
    void aVanWithoutAVanIdNeverLeavesTheHost()
    {
        pmd.receive(local3, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(1, pmd.sentOn(local4).size());
        assertEquals(List.of(), underlayFrames());
        assertEquals(0, underlay(PmdCounters.UNDERLAY_FLOOD_COPIES));
        pmd.assertNoLeaks();
    }

    @Test
    void theOnlyLocalPortOfAVanFloodsToThePeersAlone()
    {
        pmd.install(topology(bothEdges(), p0));

        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(List.of(FLOOD_TO_PEER_1, FLOOD_TO_PEER_2), underlayFrames());
        assertEquals(0, pmd.sentOn(p0).size());
        assertEquals(0, pmd.drops(p0, DropReason.NO_DESTINATION), "the peers were a destination");
        pmd.assertNoLeaks();
    }

    @Test
    void aRemoteRouteSendsUnicastAsOneDataFrameToThatPeerOnly()
    {
        installRemote(REMOTE_DAVE, EDGE_2.index());
        final byte[] frame = Frames.frame(REMOTE_DAVE, ALICE);

        pmd.receive(p0, frame);

        assertEquals(List.of(DATA_TO_PEER_2), underlayFrames());
        assertArrayEquals(frame, innerOf(0), "the tenant frame as Alice sent it");
        assertEquals(0, pmd.sentOn(p1).size() + pmd.sentOn(p2).size(), "no longer flooded locally either");
        assertEquals(1, pmd.van(VAN, PmdCounters.VAN_UNICAST));
        assertEquals(0, pmd.van(VAN, PmdCounters.VAN_FLOODED));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_FLOOD_COPIES));
        assertEquals(1, underlay(PmdCounters.UNDERLAY_ENCAPSULATED));
        assertEquals(1, pmd.van(VAN, PmdCounters.VAN_ENCAPSULATED));
        pmd.assertNoLeaks();
    }

    @Test
    void aWithdrawnRouteFloodsAgain()
    {
        installRemote(REMOTE_DAVE, EDGE_2.index());

        pmd.proxy.removeRemote(VAN, REMOTE_DAVE);
        pmd.agent.doWork();
        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(List.of(FLOOD_TO_PEER_1, FLOOD_TO_PEER_2), underlayFrames());
        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(1, pmd.sentOn(p2).size());
        pmd.assertNoLeaks();
    }

    @Test
    void aTopologyWithoutThePeerFlushesTheRoutesThroughIt()
    {
        installRemote(REMOTE_DAVE, EDGE_2.index());

        pmd.install(topology(overlay(MAX_INNER, List.of(EDGE_1), EDGE_1.index()), p0, p1, p2));
        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(List.of(FLOOD_TO_PEER_1), underlayFrames());
        assertEquals(1, pmd.sentOn(p1).size());

        pmd.io.clearSent();
        pmd.install(topology(bothEdges(), p0, p1, p2));
        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(List.of(FLOOD_TO_PEER_1, FLOOD_TO_PEER_2), underlayFrames(), "the peer came back, the route did not");
        pmd.assertNoLeaks();
    }

    @Test
    void aTopologyWithoutAnOverlayFlushesEveryRoute()
    {
        installRemote(REMOTE_DAVE, EDGE_1.index());

        pmd.install(p0, p1, p2);
        pmd.install(topology(bothEdges(), p0, p1, p2));
        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(List.of(FLOOD_TO_PEER_1, FLOOD_TO_PEER_2), underlayFrames());
        pmd.assertNoLeaks();
    }

    @Test
    void aRemoteRouteFromTheControlThreadReplacesALocalEntry()
    {
        // Bob was local; the control thread decided he moved away (his mobility claim lost)
        pmd.receive(p1, Frames.frame(ALICE, BOB));
        pmd.io.clearSent();

        installRemote(BOB, EDGE_1.index());
        pmd.receive(p0, Frames.frame(BOB, ALICE));

        assertEquals(List.of(), pmd.destinationsSentOn(p1), "no longer delivered to his old local port");
        assertEquals(1, underlayFrames().size(), "sent to his new host instead");
        pmd.assertNoLeaks();
    }

    @Test
    void aMacLearnedLocallyReplacesItsRemoteRoute()
    {
        installRemote(BOB, EDGE_1.index());

        pmd.receive(p1, Frames.frame(ALICE, BOB));
        pmd.io.clearSent();
        pmd.receive(p0, Frames.frame(BOB, ALICE));

        assertEquals(List.of(BOB), pmd.destinationsSentOn(p1), "Bob migrated here");
        assertEquals(List.of(), underlayFrames());
        pmd.assertNoLeaks();
    }

    @Test
    void anArpRequestForAKnownAddressIsAnsweredOutOfTheIngressPortAndGoesNowhereElse()
    {
        // Bob's own request teaches the proxy his binding (and floods, as nobody knows 10.1.0.99)
        pmd.receive(p1, arp(MacAddress.BROADCAST, 1, BOB, BOB_IP, 0, 0x0A01_0063));
        pmd.io.clearSent();
        final long floodedBefore = pmd.van(VAN, PmdCounters.VAN_FLOODED);

        pmd.receive(p0, arp(MacAddress.BROADCAST, 1, ALICE, ALICE_IP, 0, BOB_IP));

        assertEquals(1, pmd.sentOn(p0).size());
        assertArrayEquals(arp(ALICE, 2, BOB, BOB_IP, ALICE, ALICE_IP), pmd.sentOn(p0).get(0).bytes(), "Bob is at ...:02");
        assertEquals(0, pmd.sentOn(p1).size() + pmd.sentOn(p2).size());
        assertEquals(List.of(), underlayFrames(), "the broadcast never crosses the underlay");
        assertEquals(1, pmd.van(VAN, PmdCounters.VAN_ARP_PROXIED));
        assertEquals(floodedBefore, pmd.van(VAN, PmdCounters.VAN_FLOODED));
        pmd.assertNoLeaks();
    }

    @Test
    void anOversizeFrameIsDroppedForThePeersButStillFloodedLocally()
    {
        pmd.install(topology(overlay(100, List.of(EDGE_1, EDGE_2), EDGE_1.index(), EDGE_2.index()), p0, p1, p2));

        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE, Frames.ETHER_TYPE_IPV4, 101));

        assertEquals(List.of(), underlayFrames(), "never fragmented");
        assertEquals(2, underlay(PmdCounters.UNDERLAY_DROP_OVERSIZE));
        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(1, pmd.sentOn(p2).size());
        pmd.assertNoLeaks();
    }

    @Test
    void anOversizeFrameForARemoteRouteIsDroppedAndCounted()
    {
        pmd.install(topology(overlay(100, List.of(EDGE_1, EDGE_2), EDGE_1.index(), EDGE_2.index()), p0, p1, p2));
        installRemote(REMOTE_DAVE, EDGE_2.index());

        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE, Frames.ETHER_TYPE_IPV4, 101));
        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE, Frames.ETHER_TYPE_IPV4, 100));

        assertEquals(List.of(DATA_TO_PEER_2), underlayFrames(), "the one that fits");
        assertEquals(1, underlay(PmdCounters.UNDERLAY_DROP_OVERSIZE));
        pmd.assertNoLeaks();
    }

    @Test
    void aCopyThePoolCannotMakeIsCountedAndTheLocalFloodGoesOn()
    {
        pmd.io.failCopy(true);

        pmd.receive(p0, Frames.frame(REMOTE_DAVE, ALICE));

        assertEquals(List.of(), underlayFrames());
        assertEquals(2, underlay(PmdCounters.UNDERLAY_DROP_COPY_FAILED));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_FLOOD_COPIES));
        assertEquals(1, pmd.sentOn(p1).size());
        assertEquals(1, pmd.sentOn(p2).size());
        pmd.assertNoLeaks();
    }
}
