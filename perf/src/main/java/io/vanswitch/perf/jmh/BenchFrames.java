package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.frame.InternetChecksum;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The frames the benchmarks switch, built once before measuring (docs/wire-format.md for the
 * overlay): tenant frames are IPv4/UDP, so the encapsulator's flow hash takes its longest path.
 * This host is 10.0.0.1 (52:54:00:12:34:56); peer hosts are 10.0.0.2 and up, each its own next hop.
 */
final class BenchFrames
{
    static final long OUR_MAC = 0x5254_0012_3456L;
    static final int OUR_IP = 0x0A00_0001;
    static final int VAN_PORT = 4797;
    /** The smallest Ethernet frame with FCS, as the perf scenarios send it ("64-byte frames"). */
    static final int FRAME_LENGTH = 64;
    static final int IP_OFFSET = 14;
    static final int UDP_OFFSET = 34;
    static final int VAN_OFFSET = UDP_OFFSET + 8;

    private BenchFrames()
    {
    }

    static long peerMac(final int peer)
    {
        return 0x5254_00AB_0000L | peer;
    }

    static int peerIp(final int peer)
    {
        return OUR_IP + 1 + peer;
    }

    /** A locally administered unicast MAC for tenant endpoint {@code n}. */
    static long tenantMac(final int n)
    {
        return 0x0200_0000_0000L | (n & 0xFFFF_FFFFL);
    }

    /** An IPv4/UDP frame of {@code length} bytes between two tenant endpoints, a valid IPv4 checksum. */
    static byte[] udp(final long destination, final long source, final int length)
    {
        final byte[] frame = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        ethernet(buffer, destination, source);
        ipv4(buffer, IP_OFFSET, length - IP_OFFSET, 0xC0A8_0001 + (int)(source & 0xFF), 0xC0A8_0001 + (int)(destination & 0xFF));
        buffer.putShort(UDP_OFFSET, (short)40000, ByteOrder.BIG_ENDIAN);
        buffer.putShort(UDP_OFFSET + 2, (short)5001, ByteOrder.BIG_ENDIAN);
        buffer.putShort(UDP_OFFSET + 4, (short)(length - UDP_OFFSET), ByteOrder.BIG_ENDIAN);
        for (int i = UDP_OFFSET + 8; i < length; i++)
        {
            frame[i] = (byte)(i * 7 + 3);
        }
        return frame;
    }

    /**
     * The outer headers to peer {@code peer} as a RemoteEdge carries them: Ethernet to its MAC,
     * IPv4 with DF, TTL 64, UDP (lengths, checksum and source port zero: set per frame).
     */
    static RemoteEdge edge(final int index, final int peer)
    {
        final byte[] template = new byte[RemoteEdge.OUTER_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(template);
        ethernet(buffer, peerMac(peer), OUR_MAC);
        buffer.putByte(IP_OFFSET, (byte)0x45);
        buffer.putShort(IP_OFFSET + 6, (short)0x4000, ByteOrder.BIG_ENDIAN);
        buffer.putByte(IP_OFFSET + 8, (byte)64);
        buffer.putByte(IP_OFFSET + 9, (byte)17);
        buffer.putInt(IP_OFFSET + 12, OUR_IP, ByteOrder.BIG_ENDIAN);
        buffer.putInt(IP_OFFSET + 16, peerIp(peer), ByteOrder.BIG_ENDIAN);
        buffer.putShort(UDP_OFFSET + 2, (short)VAN_PORT, ByteOrder.BIG_ENDIAN);
        return new RemoteEdge(index, peerIp(peer), template);
    }

    /**
     * A datagram from peer {@code peer} to this host carrying {@code inner} as {@code type} in VAN
     * {@code vanId} (both sides, as inside a site), as the peer's encapsulator writes it.
     */
    static byte[] fromPeer(final int peer, final int type, final int vanId, final byte[] inner)
    {
        final int overhead = VAN_OFFSET + VanHeaderFlyweight.HEADER_LENGTH;
        final byte[] frame = new byte[overhead + inner.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        ethernet(buffer, OUR_MAC, peerMac(peer));
        ipv4(buffer, IP_OFFSET, frame.length - IP_OFFSET, peerIp(peer), OUR_IP);
        buffer.putShort(UDP_OFFSET, (short)0xC123, ByteOrder.BIG_ENDIAN);
        buffer.putShort(UDP_OFFSET + 2, (short)VAN_PORT, ByteOrder.BIG_ENDIAN);
        buffer.putShort(UDP_OFFSET + 4, (short)(frame.length - UDP_OFFSET), ByteOrder.BIG_ENDIAN);
        new VanHeaderFlyweight().wrap(buffer, VAN_OFFSET).write(type, 0, vanId, vanId);
        buffer.putBytes(overhead, inner);
        return frame;
    }

    private static void ethernet(final UnsafeBuffer buffer, final long destination, final long source)
    {
        buffer.putInt(0, (int)(destination >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(4, (short)destination, ByteOrder.BIG_ENDIAN);
        buffer.putInt(6, (int)(source >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(10, (short)source, ByteOrder.BIG_ENDIAN);
        buffer.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
    }

    private static void ipv4(final UnsafeBuffer buffer, final int at, final int totalLength, final int source, final int destination)
    {
        buffer.putByte(at, (byte)0x45);
        buffer.putShort(at + 2, (short)totalLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(at + 4, (short)0x1111, ByteOrder.BIG_ENDIAN);
        buffer.putShort(at + 6, (short)0x4000, ByteOrder.BIG_ENDIAN);
        buffer.putByte(at + 8, (byte)64);
        buffer.putByte(at + 9, (byte)17);
        buffer.putInt(at + 12, source, ByteOrder.BIG_ENDIAN);
        buffer.putInt(at + 16, destination, ByteOrder.BIG_ENDIAN);
        buffer.putShort(at + 10, (short)InternetChecksum.compute(buffer, at, 20), ByteOrder.BIG_ENDIAN);
    }
}
