package io.vanswitch.control.overlay;

import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.InternetChecksum;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds and reads the signals of docs/protocol.md: whole underlay frames (outer headers from the
 * peer's template, the VAN header, the body) on the way out; bodies after the VAN header on the way
 * in. Control thread only; it allocates, the packet path never calls it.
 */
public final class SignalCodec
{
    public static final int LEARN_BODY = 16;
    public static final int UNLEARN_BODY = 12;
    public static final int ANNOUNCE_FIXED_BODY = 20;
    public static final int HEALTH_BODY = 20;
    public static final int LEARN_FLAG_UPDATE_ONLY = 1;
    private static final int OUTER = 14 + 20 + 8;
    private static final int VAN = VanHeaderFlyweight.HEADER_LENGTH;
    private static final int MAX_ANNOUNCED_VANS = 360;

    private SignalCodec()
    {
    }

    /** The 42-byte outer template to one peer (docs/wire-format.md): lengths and checksums left zero. */
    public static byte[] outerTemplate(final long ourMac, final long nextHopMac, final int ourIp, final int peerIp, final int udpPort)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[OUTER]);
        EthernetFlyweight.writeMac(b, 0, nextHopMac);
        EthernetFlyweight.writeMac(b, 6, ourMac);
        b.putShort(12, (short)EthernetFlyweight.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        b.putByte(14, (byte)0x45);
        b.putShort(20, (short)0x4000, ByteOrder.BIG_ENDIAN); // DF: the overlay never fragments
        b.putByte(22, (byte)64);
        b.putByte(23, (byte)17);
        b.putInt(26, ourIp, ByteOrder.BIG_ENDIAN);
        b.putInt(30, peerIp, ByteOrder.BIG_ENDIAN);
        b.putShort(36, (short)udpPort, ByteOrder.BIG_ENDIAN);
        return b.byteArray();
    }

    private static UnsafeBuffer frame(final byte[] template, final int type, final int sourceVan, final int destinationVan, final int body)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[Math.max(60, OUTER + VAN + body)]);
        b.putBytes(0, template);
        final int ipLength = 20 + 8 + VAN + body;
        b.putShort(16, (short)ipLength, ByteOrder.BIG_ENDIAN);
        b.putShort(24, (short)InternetChecksum.compute(b, 14, 20), ByteOrder.BIG_ENDIAN);
        // signals carry no inner flow: their source port is the VAN port itself
        b.putShort(34, b.getShort(36));
        b.putShort(38, (short)(ipLength - 20), ByteOrder.BIG_ENDIAN);
        new VanHeaderFlyweight().wrap(b, OUTER).write(type, 0, sourceVan & 0xFFFF_FFFFL, destinationVan & 0xFFFF_FFFFL);
        return b;
    }

    public static byte[] learn(final byte[] template, final int van, final long mac, final int flags, final int sequence, final int host)
    {
        final UnsafeBuffer b = frame(template, VanHeaderFlyweight.TYPE_LEARN, van, van, LEARN_BODY);
        final int at = OUTER + VAN;
        EthernetFlyweight.writeMac(b, at, mac);
        b.putByte(at + 6, (byte)flags);
        b.putInt(at + 8, sequence, ByteOrder.BIG_ENDIAN);
        b.putInt(at + 12, host, ByteOrder.BIG_ENDIAN);
        return b.byteArray();
    }

    /**
     * LEARN as it crosses between proxies, inside their TLS session: from the VAN header on, the VAN
     * ids translated by the sender, and no host (the session names the proxy; no host address of a
     * site ever leaves it).
     */
    public static byte[] linkLearn(final int sourceVan, final int destinationVan, final long mac, final int flags, final int sequence)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[VAN + LEARN_BODY]);
        new VanHeaderFlyweight().wrap(b, 0).write(VanHeaderFlyweight.TYPE_LEARN, 0, sourceVan & 0xFFFF_FFFFL, destinationVan & 0xFFFF_FFFFL);
        EthernetFlyweight.writeMac(b, VAN, mac);
        b.putByte(VAN + 6, (byte)flags);
        b.putInt(VAN + 8, sequence, ByteOrder.BIG_ENDIAN);
        return b.byteArray();
    }

    /** UNLEARN between proxies (see {@link #linkLearn}). */
    public static byte[] linkUnlearn(final int sourceVan, final int destinationVan, final long mac)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[VAN + UNLEARN_BODY]);
        new VanHeaderFlyweight().wrap(b, 0).write(VanHeaderFlyweight.TYPE_UNLEARN, 0, sourceVan & 0xFFFF_FFFFL, destinationVan & 0xFFFF_FFFFL);
        EthernetFlyweight.writeMac(b, VAN, mac);
        return b.byteArray();
    }

    public static byte[] unlearn(final byte[] template, final int van, final long mac, final int host)
    {
        final UnsafeBuffer b = frame(template, VanHeaderFlyweight.TYPE_UNLEARN, van, van, UNLEARN_BODY);
        final int at = OUTER + VAN;
        EthernetFlyweight.writeMac(b, at, mac);
        b.putInt(at + 8, host, ByteOrder.BIG_ENDIAN);
        return b.byteArray();
    }

    /** HEALTH or HEALTH_ACK (same layout): nonce, the sender's incarnation, the sender. */
    public static byte[] health(final byte[] template, final int type, final long nonce, final long incarnation, final int host)
    {
        final UnsafeBuffer b = frame(template, type, 0, 0, HEALTH_BODY);
        final int at = OUTER + VAN;
        b.putLong(at, nonce, ByteOrder.BIG_ENDIAN);
        b.putLong(at + 8, incarnation, ByteOrder.BIG_ENDIAN);
        b.putInt(at + 16, host, ByteOrder.BIG_ENDIAN);
        return b.byteArray();
    }

    /** A complete set in one datagram (sets beyond 360 VANs are not sent yet: see docs/protocol.md). */
    public static byte[] announce(final byte[] template, final long epoch, final int host, final int[] vans)
    {
        final int[] sorted = Arrays.copyOf(vans, Math.min(vans.length, MAX_ANNOUNCED_VANS));
        Arrays.sort(sorted);
        final UnsafeBuffer b = frame(template, VanHeaderFlyweight.TYPE_ANNOUNCE, 0, 0, ANNOUNCE_FIXED_BODY + 4 * sorted.length);
        final int at = OUTER + VAN;
        b.putLong(at, epoch, ByteOrder.BIG_ENDIAN);
        b.putInt(at + 8, host, ByteOrder.BIG_ENDIAN);
        b.putByte(at + 13, (byte)0);
        b.putByte(at + 14, (byte)1);
        b.putShort(at + 16, (short)sorted.length, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < sorted.length; i++)
        {
            b.putInt(at + 20 + 4 * i, sorted[i], ByteOrder.BIG_ENDIAN);
        }
        return b.byteArray();
    }

    // ---- reading: buffer positioned at the VAN header, length from there ----

    public record Learn(int van, long mac, int flags, int sequence, int host)
    {
    }

    public record Unlearn(int van, long mac, int host)
    {
    }

    public record Health(long nonce, long incarnation, int host)
    {
    }

    public static Health readHealth(final DirectBuffer b, final int offset, final int length)
    {
        if (length < VAN + HEALTH_BODY)
        {
            return null;
        }
        final int at = offset + VAN;
        return new Health(b.getLong(at, ByteOrder.BIG_ENDIAN), b.getLong(at + 8, ByteOrder.BIG_ENDIAN), b.getInt(at + 16, ByteOrder.BIG_ENDIAN));
    }

    public record Announce(long epoch, int host, boolean withdraw, int part, int parts, int[] vans)
    {
    }

    /** @return null when the body is short. */
    public static Learn readLearn(final DirectBuffer b, final int offset, final int length)
    {
        if (length < VAN + LEARN_BODY)
        {
            return null;
        }
        final int at = offset + VAN;
        return new Learn(b.getInt(offset + 8, ByteOrder.BIG_ENDIAN), readMac(b, at), b.getByte(at + 6) & 0xFF,
            b.getInt(at + 8, ByteOrder.BIG_ENDIAN), b.getInt(at + 12, ByteOrder.BIG_ENDIAN));
    }

    public static Unlearn readUnlearn(final DirectBuffer b, final int offset, final int length)
    {
        if (length < VAN + UNLEARN_BODY)
        {
            return null;
        }
        final int at = offset + VAN;
        return new Unlearn(b.getInt(offset + 8, ByteOrder.BIG_ENDIAN), readMac(b, at), b.getInt(at + 8, ByteOrder.BIG_ENDIAN));
    }

    public static Announce readAnnounce(final DirectBuffer b, final int offset, final int length)
    {
        if (length < VAN + ANNOUNCE_FIXED_BODY)
        {
            return null;
        }
        final int at = offset + VAN;
        final int count = b.getShort(at + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (length < VAN + ANNOUNCE_FIXED_BODY + 4 * count)
        {
            return null;
        }
        final int[] vans = new int[count];
        for (int i = 0; i < count; i++)
        {
            vans[i] = b.getInt(at + 20 + 4 * i, ByteOrder.BIG_ENDIAN);
        }
        return new Announce(b.getLong(at, ByteOrder.BIG_ENDIAN), b.getInt(at + 8, ByteOrder.BIG_ENDIAN),
            (b.getByte(at + 12) & 1) != 0, b.getByte(at + 13) & 0xFF, b.getByte(at + 14) & 0xFF, vans);
    }

    public static int type(final DirectBuffer b, final int offset)
    {
        return b.getByte(offset) & 0xF;
    }

    private static long readMac(final DirectBuffer b, final int at)
    {
        final long high = b.getInt(at, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long low = b.getShort(at + 4, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        return (high << 16) | low;
    }
}
