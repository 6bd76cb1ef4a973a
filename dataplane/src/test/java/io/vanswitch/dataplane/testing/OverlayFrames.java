package io.vanswitch.dataplane.testing;

/**
 * Overlay frames for tests, written byte by byte after docs/wire-format.md (not through the
 * flyweights or the encapsulator under test), IPv4 checksums from {@link Hex#referenceChecksum}.
 * This host is 10.0.0.1 (52:54:00:12:34:56); two peer hosts, 10.0.0.2 and 10.0.0.3, are on the same
 * subnet, so each is its own next hop.
 *
 * <pre>
 *   outer Ethernet (0..13) | IPv4 (14..33) | UDP (34..41) | VAN header (42..53) | inner frame (54..)
 * </pre>
 */
public final class OverlayFrames
{
    public static final long OUR_MAC = 0x5254_0012_3456L;
    public static final int OUR_IP = 0x0A00_0001;
    public static final long PEER_1_MAC = 0x5254_00AB_CDEFL;
    public static final int PEER_1_IP = 0x0A00_0002;
    public static final long PEER_2_MAC = 0x5254_00AB_CD02L;
    public static final int PEER_2_IP = 0x0A00_0003;
    public static final int VAN_PORT = 4797;

    public static final int IP_AT = 14;
    public static final int UDP_AT = 34;
    public static final int VAN_AT = 42;
    public static final int INNER_AT = 54;
    public static final int OVERHEAD = 54;

    public static final int DATA = 1;
    public static final int FLOOD = 2;
    public static final int LEARN = 3;
    public static final int HEALTH = 5;

    private OverlayFrames()
    {
    }

    /**
     * The outer headers from this host to a peer as a RemoteEdge carries them: Ethernet to the next
     * hop, IPv4 with DF, TTL 64, protocol 17, lengths and checksum zero, UDP from port 0 to the VAN
     * port, checksum zero.
     */
    public static byte[] template(final long nextHopMac, final int peerIp)
    {
        final byte[] template = new byte[42];
        ethernet(template, nextHopMac, OUR_MAC, 0x0800);
        template[IP_AT] = 0x45;
        put16(template, IP_AT + 6, 0x4000);
        template[IP_AT + 8] = 64;
        template[IP_AT + 9] = 17;
        put32(template, IP_AT + 12, OUR_IP);
        put32(template, IP_AT + 16, peerIp);
        put16(template, UDP_AT + 2, VAN_PORT);
        return template;
    }

    /** The 12-byte VAN header: version 1, the type, flags and reserved 0, both VAN ids. */
    public static byte[] vanHeader(final int type, final long sourceVanId, final long destinationVanId)
    {
        return vanHeader((1 << 4) | type, sourceVanId, destinationVanId, 0);
    }

    /** A VAN header with its first byte (version and type) as given, for malformed cases. */
    public static byte[] vanHeader(final int versionType, final long sourceVanId, final long destinationVanId, final int flags)
    {
        final byte[] header = new byte[12];
        header[0] = (byte)versionType;
        header[1] = (byte)flags;
        put32(header, 4, (int)sourceVanId);
        put32(header, 8, (int)destinationVanId);
        return header;
    }

    /** DATA or FLOOD in one VAN (the same id on both sides, as inside a site) carrying {@code inner}. */
    public static byte[] tenant(final int type, final int vanId, final byte[] inner)
    {
        return concat(vanHeader(type, vanId, vanId), inner);
    }

    /**
     * A datagram from a peer host to this one: Ethernet from the peer's MAC to ours, IPv4 from the
     * peer's address to ours (DF, TTL 64, valid checksum), UDP from port 50000 to the VAN port, then
     * {@code udpPayload} (the VAN header and what follows), then {@code trailer} bytes that are in
     * the Ethernet frame but not in the datagram (padding, a kept FCS).
     */
    public static byte[] fromPeer(final long peerMac, final int peerIp, final byte[] udpPayload, final int trailer)
    {
        final int ipLength = 20 + 8 + udpPayload.length;
        final byte[] frame = new byte[Math.max(60, 14 + ipLength + trailer)];
        ethernet(frame, OUR_MAC, peerMac, 0x0800);
        frame[IP_AT] = 0x45;
        put16(frame, IP_AT + 2, ipLength);
        put16(frame, IP_AT + 4, 0x1111);
        put16(frame, IP_AT + 6, 0x4000);
        frame[IP_AT + 8] = 64;
        frame[IP_AT + 9] = 17;
        put32(frame, IP_AT + 12, peerIp);
        put32(frame, IP_AT + 16, OUR_IP);
        put16(frame, IP_AT + 10, Hex.referenceChecksum(frame, IP_AT, 20));
        put16(frame, UDP_AT, 50000);
        put16(frame, UDP_AT + 2, VAN_PORT);
        put16(frame, UDP_AT + 4, 8 + udpPayload.length);
        System.arraycopy(udpPayload, 0, frame, VAN_AT, udpPayload.length);
        for (int i = 14 + ipLength; i < frame.length; i++)
        {
            frame[i] = (byte)0xEE;
        }
        return frame;
    }

    public static byte[] fromPeer(final long peerMac, final int peerIp, final byte[] udpPayload)
    {
        return fromPeer(peerMac, peerIp, udpPayload, 0);
    }

    /** An Ethernet/IPv4 ARP packet from {@code senderMac} in a 60-byte frame with zero padding. */
    public static byte[] arp(
        final long ethernetDestination,
        final int opcode,
        final long senderMac,
        final int senderIp,
        final long targetMac,
        final int targetIp)
    {
        final byte[] frame = new byte[60];
        ethernet(frame, ethernetDestination, senderMac, 0x0806);
        put16(frame, 14, 1);
        put16(frame, 16, 0x0800);
        frame[18] = 6;
        frame[19] = 4;
        put16(frame, 20, opcode);
        putMac(frame, 22, senderMac);
        put32(frame, 28, senderIp);
        putMac(frame, 32, targetMac);
        put32(frame, 38, targetIp);
        return frame;
    }

    public static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    public static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    public static void ethernet(final byte[] frame, final long destination, final long source, final int etherType)
    {
        putMac(frame, 0, destination);
        putMac(frame, 6, source);
        put16(frame, 12, etherType);
    }

    public static void put16(final byte[] frame, final int at, final int value)
    {
        frame[at] = (byte)(value >>> 8);
        frame[at + 1] = (byte)value;
    }

    public static int get16(final byte[] frame, final int at)
    {
        return ((frame[at] & 0xFF) << 8) | (frame[at + 1] & 0xFF);
    }

    public static void put32(final byte[] frame, final int at, final int value)
    {
        put16(frame, at, value >>> 16);
        put16(frame, at + 2, value);
    }

    public static int get32(final byte[] frame, final int at)
    {
        return (get16(frame, at) << 16) | get16(frame, at + 2);
    }

    public static void putMac(final byte[] frame, final int at, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            frame[at + i] = (byte)(mac >>> (40 - 8 * i));
        }
    }

    public static long getMac(final byte[] frame, final int at)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (frame[at + i] & 0xFF);
        }
        return mac;
    }
}
