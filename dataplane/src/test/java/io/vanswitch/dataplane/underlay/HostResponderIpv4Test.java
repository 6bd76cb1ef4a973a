package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.testing.OverlayFrames;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.frame.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static io.vanswitch.dataplane.underlay.HostResponder.FRAGMENT;
import static io.vanswitch.dataplane.underlay.HostResponder.MALFORMED;
import static io.vanswitch.dataplane.underlay.HostResponder.NOT_FOR_US;
import static io.vanswitch.dataplane.underlay.HostResponder.OTHER;
import static io.vanswitch.dataplane.underlay.HostResponder.VAN_UDP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.IP_AT;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.L4_AT;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.VAN_PORT;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.fixIpChecksum;
import static io.vanswitch.dataplane.testing.OverlayFrames.put16;
import static io.vanswitch.dataplane.testing.OverlayFrames.put32;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IPv4 on the underlay: the overlay's UDP, every malformed case, fragments, other hosts' traffic
 * and the codes themselves. Frames sit in buffers of exactly their length (Agrona's bounds checks
 * are on in tests), so reading past the frame would throw.
 */
class HostResponderIpv4Test
{
    private final HostResponder responder = new HostResponder(OUR_MAC, OUR_IP, VAN_PORT);

    private int examine(final byte[] frame)
    {
        return responder.examine(new UnsafeBuffer(frame), frame.length);
    }

    @Test
    void findsTheVanPayloadOfOurUdpPort()
    {
        final byte[] frame = udp(OUR_IP, VAN_PORT, 26);
        final byte[] before = frame.clone();
        assertEquals(VAN_UDP, examine(frame));
        assertEquals(42, responder.vanPayloadOffset());
        assertEquals(26, responder.vanPayloadLength());
        assertEquals(0x40, frame[responder.vanPayloadOffset()], "first payload byte");
        assertEquals(PEER_IP, responder.senderIp(), "the peer host");
        assertEquals(PEER_MAC, responder.senderMac(), "the next hop it came through");
        assertArrayEquals(before, frame, "nothing rewritten");
    }

    @Test
    void measuresThePayloadByTheUdpLengthNotThePadding()
    {
        // a 1-byte datagram arrives padded to 60 bytes; an IPv4 total length may also cover trailing bytes
        final byte[] frame = Arrays.copyOf(udp(OUR_IP, VAN_PORT, 1), 60);
        assertEquals(VAN_UDP, examine(frame));
        assertEquals(1, responder.vanPayloadLength());

        final byte[] trailer = Arrays.copyOf(udp(OUR_IP, VAN_PORT, 12), 70);
        put16(trailer, IP_AT + 2, 70 - 14);
        fixIpChecksum(trailer);
        assertEquals(VAN_UDP, examine(trailer));
        assertEquals(12, responder.vanPayloadLength());
        assertEquals(0, examineEmptyPayload(), "an empty datagram is still ours to count");
    }

    private int examineEmptyPayload()
    {
        assertEquals(VAN_UDP, examine(udp(OUR_IP, VAN_PORT, 0)));
        return responder.vanPayloadLength();
    }

    @Test
    void findsThePayloadAfterIpOptions()
    {
        final byte[] plain = udp(OUR_IP, VAN_PORT, 20);
        final byte[] frame = new byte[plain.length + 8];
        System.arraycopy(plain, 0, frame, 0, L4_AT);
        System.arraycopy(plain, L4_AT, frame, L4_AT + 8, plain.length - L4_AT);
        frame[IP_AT] = 0x47;
        put16(frame, IP_AT + 2, UnderlayFrames.ipTotalLength(plain) + 8);
        fixIpChecksum(frame);
        assertEquals(VAN_UDP, examine(frame));
        assertEquals(50, responder.vanPayloadOffset());
        assertEquals(20, responder.vanPayloadLength());
    }

    @Test
    void leavesOtherUdpPortsToOthers()
    {
        assertEquals(OTHER, examine(udp(OUR_IP, VAN_PORT + 1, 26)));
        assertEquals(OTHER, examine(udp(OUR_IP, 4789, 26)), "VXLAN's port");
        assertEquals(0, responder.vanPayloadOffset());
        assertEquals(0, responder.vanPayloadLength());

        final HostResponder highPort = new HostResponder(OUR_MAC, OUR_IP, 65000);
        final byte[] frame = udp(OUR_IP, 65000, 4);
        assertEquals(VAN_UDP, highPort.examine(new UnsafeBuffer(frame), frame.length), "ports are unsigned");
    }

    @Test
    void leavesOtherProtocolsToOthers()
    {
        final byte[] tcp = udp(OUR_IP, VAN_PORT, 26);
        tcp[IP_AT + 9] = 6;
        fixIpChecksum(tcp);
        assertEquals(OTHER, examine(tcp));

        final byte[] ipv6 = udp(OUR_IP, VAN_PORT, 26);
        put16(ipv6, 12, 0x86DD);
        assertEquals(OTHER, examine(ipv6));
        final byte[] vlan = udp(OUR_IP, VAN_PORT, 26);
        put16(vlan, 12, 0x8100);
        assertEquals(OTHER, examine(vlan), "the underlay is untagged");
        final byte[] lldp = udp(OUR_IP, VAN_PORT, 26);
        OverlayFrames.putMac(lldp, 0, 0x0180_C200_000EL);
        put16(lldp, 12, 0x88CC);
        assertEquals(OTHER, examine(lldp));
    }

    @Test
    void leavesTrafficForOtherHostsAlone()
    {
        assertEquals(NOT_FOR_US, examine(udp(PEER_IP, VAN_PORT, 26)), "to another address at our MAC");
        assertEquals(NOT_FOR_US, examine(udp(Ipv4Address.parse("10.0.0.255"), VAN_PORT, 26)));

        final byte[] otherMac = udp(OUR_IP, VAN_PORT, 26);
        OverlayFrames.putMac(otherMac, 0, 0x5254_0000_0099L);
        assertEquals(NOT_FOR_US, examine(otherMac), "to another MAC: seen only because the port is promiscuous");

        final byte[] broadcast = udp(OUR_IP, VAN_PORT, 26);
        OverlayFrames.putMac(broadcast, 0, MacAddress.BROADCAST);
        assertEquals(NOT_FOR_US, examine(broadcast), "unicast IP in a broadcast frame (RFC 1122 3.3.6)");

        final byte[] garbage = udp(PEER_IP, VAN_PORT, 26);
        OverlayFrames.putMac(garbage, 0, 0x5254_0000_0099L);
        garbage[IP_AT] = 0x6F;
        assertEquals(NOT_FOR_US, examine(garbage), "another host's frame is not ours to judge");
    }

    @Test
    void rejectsTruncatedFrames()
    {
        assertEquals(MALFORMED, examine(new byte[0]));
        assertEquals(MALFORMED, examine(new byte[13]), "no whole Ethernet header");
        final byte[] frame = udp(OUR_IP, VAN_PORT, 26);
        assertEquals(MALFORMED, examine(Arrays.copyOf(frame, 33)), "no whole IPv4 header");
        assertEquals(MALFORMED, examine(Arrays.copyOf(frame, frame.length - 1)), "IPv4 total length beyond the frame");
    }

    @Test
    void rejectsBadVersionAndHeaderLengths()
    {
        assertMalformed(frame -> frame[IP_AT] = 0x65, "version 6 under the IPv4 EtherType");
        assertMalformed(frame -> frame[IP_AT] = 0x44, "IHL 4");
        assertMalformed(frame -> frame[IP_AT] = 0x40, "IHL 0");
        assertMalformed(frame -> frame[IP_AT] = 0x4F, "IHL 15: 60 bytes, more than the datagram");
    }

    @Test
    void rejectsInconsistentLengths()
    {
        assertMalformed(frame -> put16(frame, IP_AT + 2, 19), "total length below the header");
        assertMalformed(frame -> put16(frame, IP_AT + 2, 27), "no whole UDP header");
        assertMalformed(frame -> put16(frame, L4_AT + 4, 7), "UDP length below its header");
        assertMalformed(frame -> put16(frame, L4_AT + 4, 8 + 27), "UDP length beyond the IPv4 payload");
        assertMalformed(frame -> put16(frame, IP_AT + 2, 0xFFFF), "total length 65535");
    }

    @Test
    void rejectsABadHeaderChecksum()
    {
        final byte[] frame = udp(OUR_IP, VAN_PORT, 26);
        frame[IP_AT + 11] ^= 0x01;
        assertEquals(MALFORMED, examine(frame));
        final byte[] ttl = udp(OUR_IP, VAN_PORT, 26);
        ttl[IP_AT + 8] = 63;
        assertEquals(MALFORMED, examine(ttl), "a field changed without the checksum");
    }

    @Test
    void rejectsImpossibleSources()
    {
        assertMalformed(frame -> put32(frame, IP_AT + 12, Ipv4Address.parse("239.1.1.1")), "multicast IP source");
        final byte[] groupMac = udp(OUR_IP, VAN_PORT, 26);
        OverlayFrames.putMac(groupMac, 6, 0x0100_5E01_0101L);
        assertEquals(MALFORMED, examine(groupMac), "group Ethernet source");
        final byte[] zeroMac = udp(OUR_IP, VAN_PORT, 26);
        OverlayFrames.putMac(zeroMac, 6, 0);
        assertEquals(MALFORMED, examine(zeroMac), "zero Ethernet source");
    }

    @Test
    void dropsFragments()
    {
        assertEquals(FRAGMENT, examine(withFlags(0x2000)), "the first: MF");
        assertEquals(FRAGMENT, examine(withFlags(0x2000 | 185)), "a middle one");
        assertEquals(FRAGMENT, examine(withFlags(370)), "the last: an offset without MF");
        assertEquals(FRAGMENT, examine(withFlags(0x4000 | 1)), "DF with an offset still is one");
        assertEquals(VAN_UDP, examine(withFlags(0x4000)), "DF alone is the overlay's own");
        assertEquals(VAN_UDP, examine(withFlags(0)));

        final byte[] otherHost = withFlags(0x2000);
        put32(otherHost, IP_AT + 16, PEER_IP);
        fixIpChecksum(otherHost);
        assertEquals(NOT_FOR_US, examine(otherHost), "someone else's fragments are not ours to count");
    }

    private static byte[] withFlags(final int flagsAndOffset)
    {
        final byte[] frame = udp(OUR_IP, VAN_PORT, 26);
        put16(frame, IP_AT + 6, flagsAndOffset);
        fixIpChecksum(frame);
        return frame;
    }

    @Test
    void forgetsTheLastFrameBeforeTheNext()
    {
        assertEquals(VAN_UDP, examine(udp(OUR_IP, VAN_PORT, 26)));
        assertEquals(MALFORMED, examine(new byte[10]));
        assertEquals(0, responder.vanPayloadOffset());
        assertEquals(0, responder.vanPayloadLength());
        assertEquals(Ipv4Address.ANY, responder.senderIp());
        assertEquals(MacAddress.NONE, responder.senderMac());
    }

    @Test
    void readsNothingBeyondTheGivenLength()
    {
        // the buffer is longer than the frame and holds a valid datagram past it: length alone rules
        final byte[] frame = udp(OUR_IP, VAN_PORT, 26);
        assertEquals(MALFORMED, responder.examine(new UnsafeBuffer(frame), 40));
    }

    @Test
    void codesAreDenseDistinctAndNamed()
    {
        final Set<String> labels = new HashSet<>();
        for (int code = 0; code < HostResponder.CODE_COUNT; code++)
        {
            assertTrue(labels.add(HostResponder.label(code)), HostResponder.label(code));
        }
        assertEquals(Set.of("van_udp", "arp_replied", "icmp_replied", "arp_learned", "not_for_us", "malformed", "fragment",
            "other"), labels);
        assertEquals("malformed", HostResponder.label(MALFORMED));
        assertTrue(HostResponder.isReply(HostResponder.ARP_REPLIED));
        assertTrue(HostResponder.isReply(HostResponder.ICMP_REPLIED));
        assertFalse(HostResponder.isReply(HostResponder.ARP_LEARNED));
        assertFalse(HostResponder.isReply(VAN_UDP));
    }

    @Test
    void refusesAConfigurationItCouldNotAnswerFor()
    {
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(MacAddress.BROADCAST, OUR_IP, VAN_PORT));
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(0x0100_5E00_0001L, OUR_IP, VAN_PORT));
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(0, OUR_IP, VAN_PORT));
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(MacAddress.NONE, OUR_IP, VAN_PORT));
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(OUR_MAC, Ipv4Address.ANY, VAN_PORT));
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(OUR_MAC, Ipv4Address.parse("224.0.0.1"), VAN_PORT));
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(OUR_MAC, OUR_IP, 0));
        assertThrows(IllegalArgumentException.class, () -> new HostResponder(OUR_MAC, OUR_IP, 65536));
    }

    private void assertMalformed(final java.util.function.Consumer<byte[]> damage, final String what)
    {
        final byte[] frame = udp(OUR_IP, VAN_PORT, 26);
        damage.accept(frame);
        fixIpChecksum(frame);
        assertEquals(MALFORMED, examine(frame), what);
    }
}
