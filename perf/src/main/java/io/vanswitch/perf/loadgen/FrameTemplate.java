package io.vanswitch.perf.loadgen;

import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.Ipv4Flyweight;
import io.vanswitch.dataplane.frame.UdpFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The generator's Ethernet/IPv4/UDP test frame, built once and copied into each mbuf. Per frame only
 * the two MACs, the tag and the sequence change, and the transmit time is stamped last (after the
 * whole burst is written, just before it is handed to the driver), so nothing is computed per frame:
 * the IPv4 checksum covers no per-frame field and is computed here once, and the UDP checksum is 0
 * ("not computed", RFC 768).
 *
 * <pre>
 *   0 Ethernet  14 IPv4 10.0.0.1 -> 10.0.0.2  34 UDP 49152 -> 9  42 tag  46 sequence  54 tx nanos  62 zeros...
 * </pre>
 * The tag ({@link #TAG_MAGIC} and a window number) tells the receiver which measurement window a
 * frame belongs to, so stragglers of an earlier window are never counted in a later one. Tag is big
 * endian (readable in a capture); sequence and timestamp are native order, since only this process
 * reads them.
 */
public final class FrameTemplate
{
    /** Smallest frame: the headers and payload fields end at {@link #PAYLOAD_END} (62); 64 as testpmd sends. */
    public static final int MIN_LENGTH = 64;
    /** Largest standard Ethernet frame. */
    public static final int MAX_LENGTH = 1518;

    public static final int IPV4_OFFSET = EthernetFlyweight.HEADER_LENGTH;
    public static final int UDP_OFFSET = IPV4_OFFSET + Ipv4Flyweight.MIN_HEADER_LENGTH;
    public static final int TAG_OFFSET = UDP_OFFSET + UdpFlyweight.HEADER_LENGTH;
    public static final int SEQUENCE_OFFSET = TAG_OFFSET + 4;
    public static final int TIMESTAMP_OFFSET = SEQUENCE_OFFSET + 8;
    public static final int PAYLOAD_END = TIMESTAMP_OFFSET + 8;

    /** "VS" in the tag's upper half; the lower half is the window number. */
    public static final int TAG_MAGIC = 0x5653_0000;
    public static final int SOURCE_IP = 0x0A00_0001;
    public static final int DESTINATION_IP = 0x0A00_0002;
    public static final int SOURCE_PORT = 49152;
    /** The discard port: nothing should ever answer these frames. */
    public static final int DESTINATION_PORT = 9;

    /** The first bytes of every frame (all headers and payload fields), written as words. */
    static final int HEAD_BYTES = MIN_LENGTH;
    private static final int HEAD_WORDS = HEAD_BYTES / Long.BYTES;

    private final int length;
    private final UnsafeBuffer template;
    private final long[] head = new long[HEAD_WORDS];

    /**
     * @param length the frame's bytes as they sit in the mbuf (pkt_len, without the FCS, as testpmd counts).
     */
    public FrameTemplate(final int length)
    {
        if (length < MIN_LENGTH || length > MAX_LENGTH)
        {
            throw new IllegalArgumentException("frame length " + length + " outside " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        this.length = length;
        this.template = new UnsafeBuffer(new byte[length]);
        template.putShort(EthernetFlyweight.ETHER_TYPE_OFFSET, (short)EthernetFlyweight.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        new Ipv4Flyweight().wrap(template, IPV4_OFFSET)
            .writeHeader(length - IPV4_OFFSET, 0, Ipv4Flyweight.FLAG_DF, Ipv4Flyweight.DEFAULT_TTL, Ipv4Flyweight.PROTOCOL_UDP,
                SOURCE_IP, DESTINATION_IP)
            .updateChecksum();
        new UdpFlyweight().wrap(template, UDP_OFFSET).writeHeader(SOURCE_PORT, DESTINATION_PORT, length - UDP_OFFSET);
        for (int i = 0; i < HEAD_WORDS; i++)
        {
            head[i] = template.getLong(i * Long.BYTES);
        }
    }

    public int length()
    {
        return length;
    }

    /** The template's bytes (zero MACs, tag, sequence and timestamp): for tests and captures. */
    public byte[] bytes()
    {
        final byte[] copy = new byte[length];
        template.getBytes(0, copy);
        return copy;
    }

    /**
     * Writes a whole frame except its timestamp into {@code frame} (wrapped at the mbuf's data, at
     * least {@link #length()} bytes).
     */
    public void write(final UnsafeBuffer frame, final long destination, final long source, final int tag, final long sequence)
    {
        // eight plain stores rather than a copyMemory call, which costs more than the copy for so few bytes
        for (int i = 0; i < HEAD_WORDS; i++)
        {
            frame.putLong(i * Long.BYTES, head[i]);
        }
        if (length > HEAD_BYTES)
        {
            // the padding is zeros: a recycled mbuf holds an older frame's bytes
            frame.setMemory(HEAD_BYTES, length - HEAD_BYTES, (byte)0);
        }
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.DESTINATION_OFFSET, destination);
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.SOURCE_OFFSET, source);
        frame.putInt(TAG_OFFSET, tag, ByteOrder.BIG_ENDIAN);
        frame.putLong(SEQUENCE_OFFSET, sequence);
    }

    public static void timestamp(final UnsafeBuffer frame, final long nanos)
    {
        frame.putLong(TIMESTAMP_OFFSET, nanos);
    }

    /** The tag of window {@code window}. */
    public static int tag(final int window)
    {
        return TAG_MAGIC | (window & 0xFFFF);
    }

    /** The tag of a received frame of at least {@link #PAYLOAD_END} bytes (callers check the length). */
    public static int tagOf(final UnsafeBuffer frame)
    {
        return frame.getInt(TAG_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static long sequenceOf(final UnsafeBuffer frame)
    {
        return frame.getLong(SEQUENCE_OFFSET);
    }

    public static long timestampOf(final UnsafeBuffer frame)
    {
        return frame.getLong(TIMESTAMP_OFFSET);
    }
}
