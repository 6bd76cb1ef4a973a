package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.federation.LinkKeys;
import io.vanswitch.dataplane.overlay.EdgeOutput;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.overlay.DecapStage;
import io.vanswitch.dataplane.overlay.Encapsulator;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import io.vanswitch.dataplane.pipeline.ArpProxy;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pipeline.TxQueues;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.pmd.LearnEventRing;
import io.vanswitch.dataplane.pmd.PmdCounters;
import io.vanswitch.dataplane.underlay.HostResponder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One 64-byte tenant frame through the overlay rewrite, in place in a (fake) mbuf:
 * {@code encapsulate} writes the 54 bytes of outer headers into the headroom (Encapsulator: the
 * edge's template, lengths, IPv4 checksum, flow-hash source port, VAN header); {@code decapsulate}
 * takes a DATA datagram from a peer the way the underlay port does (HostResponder.examine, then
 * DecapStage: VAN check, VAN and peer lookups, strip, the inner destination's lookup, queued on
 * the local port; the queue sends 32 at a time, as after a burst).
 * <p>
 * Each operation first puts the mbuf back as received (three header fields and the reference
 * count: {@code rearm} measures that alone, to subtract).
 * <p>
 * Not final, and its fields not final: JMH subclasses its state classes, and a final field's value
 * could be folded into the measured code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncapsulationBenchmark
{
    private static final int VAN = 0;
    private static final int VAN_ID = 10;
    private static final int MAX_INNER = 1460;
    private static final int PEER = 1;

    private BenchPacketIo io;
    private long tenantMbuf;
    private long datagramMbuf;
    private RemoteEdge edge;
    private Encapsulator encapsulator;
    private HostResponder responder;
    private DecapStage decapStage;
    private TxQueues txQueues;
    private ForwardingTopology topology;
    private MbufFlyweight mbuf;
    private UnsafeBuffer frame;

    @Setup
    public void setUp()
    {
        io = new BenchPacketIo(2, 0);
        final long alice = BenchFrames.tenantMac(1);
        final long bob = BenchFrames.tenantMac(2);
        tenantMbuf = io.receive(BenchFrames.udp(bob, alice, BenchFrames.FRAME_LENGTH), BenchPacketIo.HEADROOM, 0);
        datagramMbuf = io.receive(
            BenchFrames.fromPeer(PEER, VanHeaderFlyweight.TYPE_DATA, VAN_ID, BenchFrames.udp(alice, bob, BenchFrames.FRAME_LENGTH)),
            BenchPacketIo.HEADROOM, 60);
        edge = BenchFrames.edge(0, PEER);
        encapsulator = new Encapsulator();
        responder = new HostResponder(BenchFrames.OUR_MAC, BenchFrames.OUR_IP, BenchFrames.VAN_PORT);
        mbuf = new MbufFlyweight();
        frame = new UnsafeBuffer(0, 0);

        final PmdCounters counters = new PmdCounters();
        final LocalFdb fdb = new LocalFdb(65536);
        final PortBinding local = new PortBinding(1, 1, "local", 11, VAN, MacAddress.NONE, 0, 0);
        final PortBinding underlay = new PortBinding(PmdCounters.UNDERLAY_SLOT, 1, "underlay", 60, 0, MacAddress.NONE, 0, 0);
        final int[] vanIds = new int[PmdCounters.MAX_VANS];
        vanIds[VAN] = VAN_ID;
        final OverlayTopology overlay = new OverlayTopology(List.of(edge), Map.of(), vanIds, MAX_INNER);
        topology = new ForwardingTopology(List.of(local),
            new UnderlayBinding(underlay, BenchFrames.OUR_MAC, BenchFrames.OUR_IP, BenchFrames.VAN_PORT), overlay);
        fdb.learn(VAN, alice, LocalFdb.location(local.slot(), local.generation()));
        txQueues = new TxQueues(io, counters, 0);
        decapStage = new DecapStage(io, counters, new LearnEventRing(counters), fdb, txQueues, new ArpProxy(65536),
            new EdgeOutput(io, counters, txQueues, new LinkKeys(0)));

        // what is measured must be what it claims: a valid datagram out, a delivered frame in
        if (encapsulate() != Encapsulator.OK ||
            new HostResponder(BenchFrames.peerMac(PEER), BenchFrames.peerIp(PEER), BenchFrames.VAN_PORT)
                .examine(new UnsafeBuffer(io.data(tenantMbuf)), BenchFrames.FRAME_LENGTH + Encapsulator.OVERHEAD) != HostResponder.VAN_UDP)
        {
            throw new IllegalStateException("the encapsulated frame is not a valid overlay datagram for the peer");
        }
        for (int i = 0; i < 64; i++)
        {
            decapsulate();
        }
        txQueues.flushAll();
        if (io.txPackets(local.dpdkPortId()) != 64 || counters.underlay(PmdCounters.UNDERLAY_DECAPSULATED) != 64)
        {
            throw new IllegalStateException("the datagram was not delivered to the local port: sent " + io.txPackets(local.dpdkPortId()));
        }
    }

    @Benchmark
    public int rearm()
    {
        io.rearm(tenantMbuf);
        return io.refcnt(tenantMbuf);
    }

    @Benchmark
    public int encapsulate()
    {
        io.rearm(tenantMbuf);
        return encapsulator.encapsulate(tenantMbuf, edge, VanHeaderFlyweight.TYPE_DATA, VAN_ID, VAN_ID, MAX_INNER);
    }

    /** @return the HostResponder code (VAN_UDP): DecapStage owns the mbuf from there. */
    @Benchmark
    public int decapsulate()
    {
        io.rearm(datagramMbuf);
        mbuf.wrap(datagramMbuf);
        final int length = mbuf.dataLen();
        frame.wrap(mbuf.dataAddress(), length);
        final int code = responder.examine(frame, length);
        if (code == HostResponder.VAN_UDP)
        {
            decapStage.process(datagramMbuf, frame, responder.vanPayloadOffset(), responder.vanPayloadLength(), responder.senderIp(), topology);
        }
        return code;
    }
}
