package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.InternetChecksum;
import io.vanswitch.dataplane.frame.VanFrameCheck;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.underlay.HostResponder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Reading and writing the headers of one overlay datagram (a 64-byte tenant frame in DATA from a
 * peer host), each step as the packet path does it, over off-heap memory like an mbuf's.
 * <p>
 * Not final, and its fields not final: JMH subclasses its state classes, and a final field's value
 * could be folded into the measured code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderCodecBenchmark
{
    private static final int VAN_ID = 10;

    private UnsafeBuffer frame;
    private long frameAddress;
    private int frameLength;
    private UnsafeBuffer scratch;
    private EthernetFlyweight ethernet;
    private VanHeaderFlyweight vanHeader;
    private VanHeaderFlyweight vanHeaderOut;
    private HostResponder responder;
    private int type;
    private long vanId;

    @Setup
    public void setUp()
    {
        final byte[] datagram = BenchFrames.fromPeer(
            1, VanHeaderFlyweight.TYPE_DATA, VAN_ID, BenchFrames.udp(BenchFrames.tenantMac(2), BenchFrames.tenantMac(1), BenchFrames.FRAME_LENGTH));
        // at an mbuf's usual data start: 128 bytes into a cache-aligned buffer
        final UnsafeBuffer block = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
        block.putBytes(128, datagram);
        frame = new UnsafeBuffer(block.addressOffset() + 128, datagram.length);
        frameAddress = frame.addressOffset();
        frameLength = datagram.length;
        scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
        ethernet = new EthernetFlyweight();
        vanHeader = new VanHeaderFlyweight();
        vanHeaderOut = new VanHeaderFlyweight();
        responder = new HostResponder(BenchFrames.OUR_MAC, BenchFrames.OUR_IP, BenchFrames.VAN_PORT);
        type = VanHeaderFlyweight.TYPE_DATA;
        vanId = VAN_ID;
        if (responder.examine(frame, frameLength) != HostResponder.VAN_UDP || parseOverlayHeaders() == -1)
        {
            throw new IllegalStateException("the datagram is not a valid overlay frame");
        }
    }

    /** What IngressStage reads of every frame: wrap, both MACs and the EtherType. */
    @Benchmark
    public long parseEthernet()
    {
        final EthernetFlyweight ethernet = this.ethernet.wrap(frameAddress, EthernetFlyweight.HEADER_LENGTH);
        return ethernet.destination() ^ ethernet.source() ^ ethernet.etherType();
    }

    /**
     * What DecapStage reads of a datagram HostResponder passed: the VAN header validated
     * (VanFrameCheck), its type and both VAN ids, and the inner frame's destination MAC.
     */
    @Benchmark
    public long parseOverlayHeaders()
    {
        final int payloadLength = frameLength - BenchFrames.VAN_OFFSET;
        if (VanFrameCheck.check(frame, BenchFrames.VAN_OFFSET, payloadLength) != VanFrameCheck.OK)
        {
            return -1;
        }
        final VanHeaderFlyweight header = vanHeader.wrap(frame, BenchFrames.VAN_OFFSET);
        final long inner = EthernetFlyweight.readMac(frame, BenchFrames.VAN_OFFSET + VanHeaderFlyweight.HEADER_LENGTH);
        return header.type() ^ header.sourceVanId() ^ (header.destinationVanId() << 8) ^ inner;
    }

    /**
     * The outer headers' validation on the underlay port (HostResponder.examine): Ethernet
     * destination and source, IPv4 version, lengths, fragment bits and header checksum, UDP port
     * and length, ending with the VAN payload's offset and length.
     */
    @Benchmark
    public int examineUnderlayFrame()
    {
        final int code = responder.examine(frame, frameLength);
        return code + responder.vanPayloadOffset() + responder.vanPayloadLength();
    }

    /** The IPv4 header checksum verified in full (RFC 1071), as examine does per datagram. */
    @Benchmark
    public boolean ipv4HeaderChecksum()
    {
        return InternetChecksum.isValid(frame, BenchFrames.IP_OFFSET, 20);
    }

    /** One VAN header written where the encapsulator puts it (42 bytes into the outer headers). */
    @Benchmark
    public VanHeaderFlyweight writeVanHeader()
    {
        return vanHeaderOut.wrap(scratch, BenchFrames.VAN_OFFSET).write(type, 0, vanId, vanId);
    }
}
