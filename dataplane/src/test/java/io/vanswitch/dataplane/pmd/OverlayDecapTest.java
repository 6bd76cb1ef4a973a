package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.frame.VanFrameCheck;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import io.vanswitch.dataplane.testing.Hex;
import io.vanswitch.dataplane.underlay.HostResponder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.vanswitch.dataplane.pmd.OverlaySetup.EDGE_1;
import static io.vanswitch.dataplane.pmd.OverlaySetup.EDGE_2;
import static io.vanswitch.dataplane.pmd.OverlaySetup.LOCAL_VAN;
import static io.vanswitch.dataplane.pmd.OverlaySetup.PORTLESS_VAN_ID;
import static io.vanswitch.dataplane.pmd.OverlaySetup.UNDERLAY;
import static io.vanswitch.dataplane.pmd.OverlaySetup.VAN;
import static io.vanswitch.dataplane.pmd.OverlaySetup.VAN_ID;
import static io.vanswitch.dataplane.pmd.OverlaySetup.bothEdges;
import static io.vanswitch.dataplane.pmd.OverlaySetup.topology;
import static io.vanswitch.dataplane.pmd.PmdHarness.GENERATION;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static io.vanswitch.dataplane.testing.OverlayFrames.DATA;
import static io.vanswitch.dataplane.testing.OverlayFrames.FLOOD;
import static io.vanswitch.dataplane.testing.OverlayFrames.HEALTH;
import static io.vanswitch.dataplane.testing.OverlayFrames.LEARN;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_1_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_2_IP;
import static io.vanswitch.dataplane.testing.OverlayFrames.PEER_2_MAC;
import static io.vanswitch.dataplane.testing.OverlayFrames.arp;
import static io.vanswitch.dataplane.testing.OverlayFrames.concat;
import static io.vanswitch.dataplane.testing.OverlayFrames.fromPeer;
import static io.vanswitch.dataplane.testing.OverlayFrames.tenant;
import static io.vanswitch.dataplane.testing.OverlayFrames.vanHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Datagrams from peer hosts arriving on the underlay port, built byte by byte as the wire format
 * has them: tenant frames are decapsulated and delivered to the local ports of their VAN only,
 * never back to the underlay; what the sender should learn is told to the control thread; every
 * malformed or unwanted datagram is dropped and counted by reason; signals go to the control thread.
 */
class OverlayDecapTest
{
    private static final long ALICE = 0x5254_0000_0001L;
    private static final int ALICE_IP = 0x0A01_0001;
    private static final long BOB = 0x5254_0000_0002L;
    private static final long REMOTE_DAVE = 0x5254_0000_0D0DL;
    private static final int REMOTE_DAVE_IP = 0x0A01_0004;
    private static final long NOBODY = 0x5254_0000_00FFL;

    private record OverlayEvent(String kind, int vanIndex, long mac, int edgeIndex)
    {
    }

    private record Signal(int senderIp, String bytes)
    {
    }

    private final PmdHarness pmd = new PmdHarness();
    private final PortBinding p0 = port(0, VAN);
    private final PortBinding p1 = port(1, VAN);
    private final PortBinding p2 = port(2, VAN);
    private final PortBinding local3 = port(3, LOCAL_VAN);
    private final List<OverlayEvent> events = new ArrayList<>();
    private final List<Signal> signals = new ArrayList<>();

    @BeforeEach
    void install()
    {
        pmd.install(topology(bothEdges(), p0, p1, p2, local3));
        // Bob lives on p1, as another PMD (or this one) learned
        pmd.proxy.learnFromPeer(VAN, BOB, p1.slot(), GENERATION);
        pmd.agent.doWork();
    }

    @AfterEach
    void close()
    {
        pmd.close();
    }

    private void arrives(final byte[] frame)
    {
        pmd.receive(UNDERLAY, frame);
    }

    /** What the PMD told the control thread since the last drain. */
    private void drain()
    {
        pmd.agent.learnEvents().drain(
            (vanIndex, mac, slot, generation) -> events.add(new OverlayEvent("learned", vanIndex, mac, slot)),
            (ip, mac) -> events.add(new OverlayEvent("neighbor", 0, mac, ip)),
            new io.vanswitch.dataplane.pmd.LearnEventRing.OverlayEvents()
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
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    signals.add(new Signal(senderIp, Hex.dump(bytes)));
                }
            },
            Integer.MAX_VALUE);
    }

    private long underlay(final int counter)
    {
        return pmd.counters.underlay(counter);
    }

    private int sentOnLocalPorts()
    {
        return pmd.sentOn(p0).size() + pmd.sentOn(p1).size() + pmd.sentOn(p2).size() + pmd.sentOn(local3).size();
    }

    private void assertNothingSent()
    {
        assertEquals(0, sentOnLocalPorts(), "nothing delivered");
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size(), "nothing sent back");
    }

    @Test
    void dataForALocalMacIsDeliveredDecapsulatedToThatPortOnly()
    {
        final byte[] inner = Frames.frame(BOB, REMOTE_DAVE);

        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(DATA, VAN_ID, inner)));

        assertEquals(1, pmd.sentOn(p1).size());
        assertArrayEquals(inner, pmd.sentOn(p1).get(0).bytes(), "exactly the tenant frame, outer headers gone");
        assertEquals(0, pmd.sentOn(p0).size() + pmd.sentOn(p2).size() + pmd.sentOn(local3).size());
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        assertEquals(1, underlay(PmdCounters.UNDERLAY_CODES_BASE + HostResponder.VAN_UDP));
        assertEquals(1, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        assertEquals(1, pmd.van(VAN, PmdCounters.VAN_DECAPSULATED));
        assertEquals(1, pmd.counters.port(UNDERLAY.slot(), PmdCounters.PORT_RX_PACKETS));
        assertEquals(1, pmd.counters.port(p1.slot(), PmdCounters.PORT_TX_PACKETS));
        assertEquals(60, pmd.counters.port(p1.slot(), PmdCounters.PORT_TX_BYTES));
        drain();
        assertEquals(List.of(), events, "DATA that found its destination says nothing");
        pmd.assertNoLeaks();
    }

    @Test
    void bytesAfterTheDatagramAreNotDelivered()
    {
        final byte[] inner = Frames.frame(BOB, REMOTE_DAVE);

        // a NIC that keeps the FCS, or padding: the UDP length says where the datagram ends
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(DATA, VAN_ID, inner), 4));

        assertArrayEquals(inner, pmd.sentOn(p1).get(0).bytes());
        pmd.assertNoLeaks();
    }

    @Test
    void floodForALocalMacIsDeliveredAndTheControlThreadToldToAnswerWithLearn()
    {
        final byte[] inner = Frames.frame(BOB, REMOTE_DAVE);

        arrives(fromPeer(PEER_2_MAC, PEER_2_IP, tenant(FLOOD, VAN_ID, inner)));

        assertEquals(1, pmd.sentOn(p1).size());
        assertArrayEquals(inner, pmd.sentOn(p1).get(0).bytes());
        assertEquals(0, pmd.sentOn(p0).size() + pmd.sentOn(p2).size(), "found its destination: not flooded on");
        drain();
        assertEquals(List.of(new OverlayEvent("flood_for_local", VAN, BOB, EDGE_2.index())), events);
        pmd.assertNoLeaks();
    }

    @Test
    void floodForAnUnknownMacFloodsToTheVansLocalPortsOnly()
    {
        final byte[] inner = Frames.frame(NOBODY, REMOTE_DAVE);

        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(FLOOD, VAN_ID, inner)));

        for (final PortBinding port : List.of(p0, p1, p2))
        {
            assertEquals(1, pmd.sentOn(port).size(), port.name());
            assertArrayEquals(inner, pmd.sentOn(port).get(0).bytes());
        }
        assertEquals(0, pmd.sentOn(local3).size(), "never into another VAN");
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size(), "split horizon: never back to the underlay");
        drain();
        assertEquals(List.of(), events);
        pmd.assertNoLeaks();
    }

    @Test
    void broadcastFloodsLocallyAndNeverBackToTheUnderlay()
    {
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(FLOOD, VAN_ID, Frames.frame(MacAddress.BROADCAST, REMOTE_DAVE))));
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(DATA, VAN_ID, Frames.frame(MacAddress.BROADCAST, REMOTE_DAVE))));

        assertEquals(List.of(MacAddress.BROADCAST, MacAddress.BROADCAST), pmd.destinationsSentOn(p0));
        assertEquals(List.of(MacAddress.BROADCAST, MacAddress.BROADCAST), pmd.destinationsSentOn(p1));
        assertEquals(List.of(MacAddress.BROADCAST, MacAddress.BROADCAST), pmd.destinationsSentOn(p2));
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size());
        drain();
        assertEquals(List.of(), events, "group destinations never ask for LEARN or UNLEARN");
        pmd.assertNoLeaks();
    }

    @Test
    void floodForAServedVanWithoutLocalPortsIsFreed()
    {
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(FLOOD, PORTLESS_VAN_ID, Frames.frame(MacAddress.BROADCAST, REMOTE_DAVE))));

        assertNothingSent();
        assertEquals(1, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        pmd.assertNoLeaks();
    }

    @Test
    void dataForAMacThatIsNotHereIsDroppedAndTheControlThreadToldToAnswerWithUnlearn()
    {
        arrives(fromPeer(PEER_2_MAC, PEER_2_IP, tenant(DATA, VAN_ID, Frames.frame(NOBODY, REMOTE_DAVE))));

        assertNothingSent();
        assertEquals(1, underlay(PmdCounters.UNDERLAY_DROP_NOT_HERE));
        drain();
        assertEquals(List.of(new OverlayEvent("data_not_here", VAN, NOBODY, EDGE_2.index())), events);
        pmd.assertNoLeaks();
    }

    @Test
    void dataForAMacThatMovedToAnotherPeerIsNotHereEither()
    {
        pmd.proxy.installRemote(VAN, ALICE, EDGE_2.index());
        pmd.agent.doWork();

        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(DATA, VAN_ID, Frames.frame(ALICE, REMOTE_DAVE))));

        assertNothingSent();
        assertEquals(1, underlay(PmdCounters.UNDERLAY_DROP_NOT_HERE));
        drain();
        assertEquals(List.of(new OverlayEvent("data_not_here", VAN, ALICE, EDGE_1.index())), events, "not relayed between peers");
        pmd.assertNoLeaks();
    }

    @Test
    void aVanThisHostDoesNotServeIsDroppedAndCounted()
    {
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(DATA, 99, Frames.frame(BOB, REMOTE_DAVE))));
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(FLOOD, 99, Frames.frame(MacAddress.BROADCAST, REMOTE_DAVE))));

        assertNothingSent();
        assertEquals(2, underlay(PmdCounters.UNDERLAY_DROP_UNKNOWN_VAN));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        pmd.assertNoLeaks();
    }

    @Test
    void anAddressThatIsNoPeerIsDroppedAndCounted()
    {
        final int stranger = 0x0A00_0009;

        arrives(fromPeer(PEER_1_MAC, stranger, tenant(DATA, VAN_ID, Frames.frame(BOB, REMOTE_DAVE))));
        arrives(fromPeer(PEER_1_MAC, stranger, tenant(FLOOD, VAN_ID, Frames.frame(MacAddress.BROADCAST, REMOTE_DAVE))));

        assertNothingSent();
        assertEquals(2, underlay(PmdCounters.UNDERLAY_DROP_UNKNOWN_PEER));
        drain();
        assertEquals(List.of(), events);
        pmd.assertNoLeaks();
    }

    static Stream<Arguments> malformed()
    {
        final byte[] inner = Frames.frame(BOB, REMOTE_DAVE);
        return Stream.of(
            Arguments.of("11 bytes of VAN header", VanFrameCheck.SHORT, Arrays.copyOf(vanHeader(DATA, VAN_ID, VAN_ID), 11)),
            Arguments.of("no VAN header at all", VanFrameCheck.SHORT, new byte[0]),
            Arguments.of("version 2", VanFrameCheck.BAD_VERSION, concat(vanHeader(0x21, VAN_ID, VAN_ID, 0), inner)),
            Arguments.of("version 0", VanFrameCheck.BAD_VERSION, concat(vanHeader(0x01, VAN_ID, VAN_ID, 0), inner)),
            Arguments.of("type 0", VanFrameCheck.UNKNOWN_TYPE, concat(vanHeader(0x10, VAN_ID, VAN_ID, 0), inner)),
            Arguments.of("type 8", VanFrameCheck.UNKNOWN_TYPE, concat(vanHeader(0x18, VAN_ID, VAN_ID, 0), inner)),
            Arguments.of("type 15", VanFrameCheck.UNKNOWN_TYPE, concat(vanHeader(0x1F, VAN_ID, VAN_ID, 0), inner)),
            Arguments.of("DATA of 13 bytes", VanFrameCheck.BAD_INNER_LENGTH, tenant(DATA, VAN_ID, Arrays.copyOf(inner, 13))),
            Arguments.of("FLOOD without a frame", VanFrameCheck.BAD_INNER_LENGTH, tenant(FLOOD, VAN_ID, new byte[0])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedVanHeaderIsDroppedAndCountedByItsReason(final String what, final VanFrameCheck reason, final byte[] payload)
    {
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, payload));

        assertNothingSent();
        for (final VanFrameCheck check : VanFrameCheck.values())
        {
            if (check != VanFrameCheck.OK)
            {
                assertEquals(check == reason ? 1 : 0, underlay(PmdCounters.UNDERLAY_VAN_CHECK_BASE + check.ordinal()), check.name());
            }
        }
        assertEquals(0, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_SIGNALS_RECEIVED));
        drain();
        assertEquals(List.of(), signals);
        pmd.assertNoLeaks();
    }

    @Test
    void aSignalIsHandedToTheControlThreadFromItsVanHeaderOn()
    {
        // LEARN (docs/protocol.md): 52:54:00:00:00:01 of VAN 10 lives at 10.0.0.2 with sequence 4
        final byte[] learn = Hex.bytes(
            "13 00 00 00 00 00 00 0a 00 00 00 0a 52 54 00 00 00 01 00 00 00 00 00 04 0a 00 00 02");

        // padded as a NIC may: the trailer is not part of the signal
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, learn, 6));

        assertNothingSent();
        assertEquals(1, underlay(PmdCounters.UNDERLAY_SIGNALS_RECEIVED));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_DECAPSULATED));
        drain();
        assertEquals(List.of(new Signal(PEER_1_IP, Hex.dump(learn))), signals);
        assertEquals(List.of(), events);
        pmd.assertNoLeaks();
    }

    @Test
    void signalsForNoVanAndFromStrangersAreForTheControlThreadToJudge()
    {
        final byte[] health = concat(vanHeader(HEALTH, 0, 0), Hex.bytes(
            "00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 2a 0a 00 00 09"));
        final byte[] learnInAnUnservedVan = concat(vanHeader(LEARN, 99, 99), new byte[16]);

        arrives(fromPeer(PEER_1_MAC, 0x0A00_0009, health));
        arrives(fromPeer(PEER_2_MAC, PEER_2_IP, learnInAnUnservedVan));

        assertNothingSent();
        assertEquals(2, underlay(PmdCounters.UNDERLAY_SIGNALS_RECEIVED));
        assertEquals(0, underlay(PmdCounters.UNDERLAY_DROP_UNKNOWN_VAN) + underlay(PmdCounters.UNDERLAY_DROP_UNKNOWN_PEER));
        drain();
        assertEquals(List.of(new Signal(0x0A00_0009, Hex.dump(health)), new Signal(PEER_2_IP, Hex.dump(learnInAnUnservedVan))), signals);
        pmd.assertNoLeaks();
    }

    @Test
    void anArpRequestFromARemoteNodeTeachesTheProxyWhichThenAnswersLocally()
    {
        arrives(fromPeer(PEER_1_MAC, PEER_1_IP, tenant(FLOOD, VAN_ID, arp(MacAddress.BROADCAST, 1, REMOTE_DAVE, REMOTE_DAVE_IP, 0, ALICE_IP))));
        assertEquals(1, pmd.sentOn(p0).size(), "flooded locally, not answered: answers go to local requests only");
        pmd.io.clearSent();

        pmd.receive(p0, arp(MacAddress.BROADCAST, 1, ALICE, ALICE_IP, 0, REMOTE_DAVE_IP));

        assertEquals(1, pmd.sentOn(p0).size());
        assertArrayEquals(arp(ALICE, 2, REMOTE_DAVE, REMOTE_DAVE_IP, ALICE, ALICE_IP), pmd.sentOn(p0).get(0).bytes());
        assertEquals(0, pmd.io.sentOn(UNDERLAY.dpdkPortId()).size(), "the request never crossed the underlay");
        assertEquals(1, pmd.van(VAN, PmdCounters.VAN_ARP_PROXIED));
        pmd.assertNoLeaks();
    }
}
