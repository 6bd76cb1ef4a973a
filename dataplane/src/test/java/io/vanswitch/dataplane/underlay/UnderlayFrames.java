package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.testing.Hex;

import static io.vanswitch.dataplane.testing.OverlayFrames.ethernet;
import static io.vanswitch.dataplane.testing.OverlayFrames.get16;
import static io.vanswitch.dataplane.testing.OverlayFrames.put16;
import static io.vanswitch.dataplane.testing.OverlayFrames.put32;
import static io.vanswitch.dataplane.testing.OverlayFrames.putMac;

/**
 * Underlay frames for tests, written byte by byte (not through the flyweights under test), their
 * checksums from {@link Hex#referenceChecksum}. Between this host (10.0.0.1, 52:54:00:12:34:56)
 * and a peer (10.0.0.2, 52:54:00:ab:cd:ef).
 */
final class UnderlayFrames
{
    static final long OUR_MAC = 0x5254_0012_3456L;
    static final int OUR_IP = 0x0A00_0001;
    static final long PEER_MAC = 0x5254_00AB_CDEFL;
    static final int PEER_IP = 0x0A00_0002;
    static final int VAN_PORT = 4797;

    static final int IP_AT = 14;
    /** Where a UDP or ICMP header starts when the IPv4 header has no options. */
    static final int L4_AT = 34;

    private UnderlayFrames()
    {
    }

    /** Peer to us: Ethernet, IPv4 (no options, DF, TTL 64), UDP from port 50000, then {@code payload} bytes 0x40... */
    static byte[] udp(final int destinationIp, final int destinationPort, final int payload)
    {
        final byte[] frame = new byte[L4_AT + 8 + payload];
        ethernet(frame, OUR_MAC, PEER_MAC, 0x0800);
        ipv4(frame, 20 + 8 + payload, 17, PEER_IP, destinationIp);
        put16(frame, L4_AT, 50000);
        put16(frame, L4_AT + 2, destinationPort);
        put16(frame, L4_AT + 4, 8 + payload);
        for (int i = 0; i < payload; i++)
        {
            frame[L4_AT + 8 + i] = (byte)(0x40 + i);
        }
        fixIpChecksum(frame);
        return frame;
    }

    /** Peer to us: an ICMP message of {@code type}, id 0x1234, sequence 7 and {@code data} bytes. */
    static byte[] icmp(final int destinationIp, final int type, final int data)
    {
        final byte[] frame = new byte[L4_AT + 8 + data];
        ethernet(frame, OUR_MAC, PEER_MAC, 0x0800);
        ipv4(frame, 20 + 8 + data, 1, PEER_IP, destinationIp);
        frame[L4_AT] = (byte)type;
        put16(frame, L4_AT + 4, 0x1234);
        put16(frame, L4_AT + 6, 7);
        for (int i = 0; i < data; i++)
        {
            frame[L4_AT + 8 + i] = (byte)(0x80 + i);
        }
        fixIpChecksum(frame);
        fixIcmpChecksum(frame);
        return frame;
    }

    private static void ipv4(final byte[] frame, final int totalLength, final int protocol, final int source, final int destination)
    {
        frame[IP_AT] = 0x45;
        put16(frame, IP_AT + 2, totalLength);
        put16(frame, IP_AT + 4, 0x4242);
        put16(frame, IP_AT + 6, 0x4000);
        frame[IP_AT + 8] = 64;
        frame[IP_AT + 9] = (byte)protocol;
        put32(frame, IP_AT + 12, source);
        put32(frame, IP_AT + 16, destination);
    }

    static int ipHeaderLength(final byte[] frame)
    {
        return (frame[IP_AT] & 0xF) * 4;
    }

    static int ipTotalLength(final byte[] frame)
    {
        return get16(frame, IP_AT + 2);
    }

    static void fixIpChecksum(final byte[] frame)
    {
        put16(frame, IP_AT + 10, 0);
        // a damaged IHL may claim more header than the frame holds: sum what is there
        final int length = Math.min(ipHeaderLength(frame), frame.length - IP_AT);
        put16(frame, IP_AT + 10, Hex.referenceChecksum(frame, IP_AT, length));
    }

    static void fixIcmpChecksum(final byte[] frame)
    {
        final int at = IP_AT + ipHeaderLength(frame);
        final int length = ipTotalLength(frame) - ipHeaderLength(frame);
        put16(frame, at + 2, 0);
        put16(frame, at + 2, Hex.referenceChecksum(frame, at, length));
    }

    static boolean ipChecksumValid(final byte[] frame)
    {
        return Hex.referenceChecksum(frame, IP_AT, ipHeaderLength(frame)) == 0;
    }

    static boolean icmpChecksumValid(final byte[] frame)
    {
        final int at = IP_AT + ipHeaderLength(frame);
        return Hex.referenceChecksum(frame, at, ipTotalLength(frame) - ipHeaderLength(frame)) == 0;
    }
}
