package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.federation.LinkKeys;
import io.vanswitch.dataplane.overlay.EdgeOutput;

import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.frame.VanHeaderFlyweight;
import io.vanswitch.dataplane.overlay.DecapStage;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import io.vanswitch.dataplane.pipeline.ArpProxy;
import io.vanswitch.dataplane.pipeline.Burst;
import io.vanswitch.dataplane.pipeline.ForwardStage;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.IngressStage;
import io.vanswitch.dataplane.pipeline.OutputStage;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pipeline.TxQueues;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.pmd.LearnEventRing;
import io.vanswitch.dataplane.pmd.PmdAgent;
import io.vanswitch.dataplane.pmd.PmdCounters;
import io.vanswitch.dataplane.pmd.PmdProxy;
import io.vanswitch.dataplane.underlay.UnderlayStage;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A full burst of 32 64-byte frames through the packet path, with a fake device layer
 * ({@link BenchPacketIo}) in place of DPDK; the score is nanoseconds per packet.
 * <p>
 * {@code stages}: the stages as PmdAgent.process runs them, nothing else: Burst.load, IngressStage
 * (checks, learning), ForwardStage (lookup), OutputStage (unicast, flood, encapsulation), and
 * TxQueues.flushAll (one tx burst per egress port), or for frames from the underlay UnderlayStage
 * (HostResponder, DecapStage) and the flush. {@code dutyCycle}: PmdAgent.doWork, which adds the
 * command queue poll, an rx poll of each of the PMD's five ports (four empty), the clock reads around
 * the burst and the PMD counters.
 * <p>
 * The host: four ports in one VAN (slots 0 to 3, frames arrive on slot 0 from Alice), an underlay
 * port, two peer hosts behind edges 0 and 1, VAN id 10 on the wire, a forwarding table sized as the
 * daemon's default (65536). Scenarios:
 * <ul>
 *   <li>{@code unicast}: 32 frames Alice to Bob (slot 1): one flow, as bursts usually are.</li>
 *   <li>{@code unicast-32-macs}: Alice to 32 different MACs on slots 1 to 3: a lookup per frame.</li>
 *   <li>{@code flood}: broadcasts, replicated to the three other ports by reference count.</li>
 *   <li>{@code encap}: Alice to a MAC behind edge 0: encapsulated and sent on the underlay.</li>
 *   <li>{@code flood-overlay}: broadcasts in a VAN the two peers serve too: three local references
 *       and two deep copies (one per edge), each encapsulated as FLOOD.</li>
 *   <li>{@code decap}: DATA datagrams from peer 1 on the underlay, delivered to Bob.</li>
 * </ul>
 * The setup checks that a scenario does what it says (every frame sent where expected, none
 * dropped, every mbuf back) before anything is measured, and the teardown that nothing leaked.
 * <p>
 * Not final, and its fields not final: JMH subclasses its state classes, and a final field's value
 * could be folded into the measured code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BurstBenchmark
{
    private static final int VAN = 1;
    private static final int VAN_ID = 10;
    private static final int GENERATION = 1;
    private static final int FDB_CAPACITY = 65536;
    private static final int MAX_INNER = 1460;
    private static final int PORTS = 4;
    private static final long ALICE = BenchFrames.tenantMac(1);
    private static final long BOB = BenchFrames.tenantMac(2);
    /** A tenant on peer 1 (edge 0). */
    private static final long REMOTE = BenchFrames.tenantMac(3);
    private static final int MANY_MACS_BASE = 100;
    /** Bursts the setup runs and checks: enough to get the stages compiled before JMH's warm-up (a fraction of a second). */
    private static final int CHECKED_BURSTS = 10_000;

    @Param({ "unicast", "unicast-32-macs", "flood", "encap", "flood-overlay", "decap" })
    public String scenario;

    private PortBinding[] ports;
    private PortBinding underlayPort;
    private ForwardingTopology topology;
    private PortBinding ingress;
    private int expectedTxPerBurst;

    // stages, driven by hand
    private BenchPacketIo io;
    private long[] mbufs;
    private byte[][] frames;
    private Burst burst;
    private IngressStage ingressStage;
    private ForwardStage forwardStage;
    private OutputStage outputStage;
    private TxQueues txQueues;
    private UnderlayStage underlayStage;

    // the whole duty cycle
    private BenchPacketIo agentIo;
    private PmdAgent agent;

    @Setup
    public void setUp()
    {
        ports = new PortBinding[PORTS];
        for (int slot = 0; slot < PORTS; slot++)
        {
            ports[slot] = new PortBinding(slot, GENERATION, "port" + slot, 10 + slot, VAN, MacAddress.NONE, 0, 0);
        }
        underlayPort = new PortBinding(PmdCounters.UNDERLAY_SLOT, GENERATION, "underlay", 60, 0, MacAddress.NONE, 0, 0);
        final List<RemoteEdge> edges = List.of(BenchFrames.edge(0, 1), BenchFrames.edge(1, 2));
        final int[] vanIds = new int[PmdCounters.MAX_VANS];
        vanIds[VAN] = VAN_ID;
        final Map<Integer, int[]> floodEdges = scenario.equals("flood-overlay") ? Map.of(VAN, new int[]{ 0, 1 }) : Map.of();
        topology = new ForwardingTopology(List.of(ports),
            new UnderlayBinding(underlayPort, BenchFrames.OUR_MAC, BenchFrames.OUR_IP, BenchFrames.VAN_PORT),
            new OverlayTopology(edges, floodEdges, vanIds, MAX_INNER));

        frames = new byte[Burst.MAX][];
        ingress = ports[0];
        for (int i = 0; i < Burst.MAX; i++)
        {
            frames[i] = switch (scenario)
            {
                case "unicast" -> BenchFrames.udp(BOB, ALICE, BenchFrames.FRAME_LENGTH);
                case "unicast-32-macs" -> BenchFrames.udp(BenchFrames.tenantMac(MANY_MACS_BASE + i), ALICE, BenchFrames.FRAME_LENGTH);
                case "flood", "flood-overlay" -> BenchFrames.udp(MacAddress.BROADCAST, ALICE, BenchFrames.FRAME_LENGTH);
                case "encap" -> BenchFrames.udp(REMOTE, ALICE, BenchFrames.FRAME_LENGTH);
                case "decap" -> BenchFrames.fromPeer(
                    1, VanHeaderFlyweight.TYPE_DATA, VAN_ID, BenchFrames.udp(BOB, REMOTE, BenchFrames.FRAME_LENGTH));
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        }
        if (scenario.equals("decap"))
        {
            ingress = underlayPort;
        }
        expectedTxPerBurst = switch (scenario)
        {
            case "flood" -> Burst.MAX * (PORTS - 1);
            case "flood-overlay" -> Burst.MAX * (PORTS - 1 + edges.size());
            default -> Burst.MAX;
        };

        setUpStages();
        setUpAgent();
    }

    private void setUpStages()
    {
        io = new BenchPacketIo(Burst.MAX, 2 * Burst.MAX);
        final PmdCounters counters = new PmdCounters();
        final LocalFdb fdb = new LocalFdb(FDB_CAPACITY);
        final ArpProxy arpProxy = new ArpProxy(FDB_CAPACITY);
        final LearnEventRing learnEvents = new LearnEventRing(counters);
        burst = new Burst();
        ingressStage = new IngressStage(fdb, counters, learnEvents, arpProxy);
        forwardStage = new ForwardStage(fdb, counters);
        txQueues = new TxQueues(io, counters, 0);
        final EdgeOutput edgeOutput = new EdgeOutput(io, counters, txQueues, new LinkKeys(0));
        outputStage = new OutputStage(io, counters, txQueues, edgeOutput);
        if (ingress == underlayPort)
        {
            underlayStage = new UnderlayStage(topology.underlay(), io, counters, learnEvents, txQueues,
                new DecapStage(io, counters, learnEvents, fdb, txQueues, arpProxy, edgeOutput));
        }
        fdb.learn(VAN, BOB, LocalFdb.location(1, GENERATION));
        for (int i = 0; i < Burst.MAX; i++)
        {
            fdb.learn(VAN, BenchFrames.tenantMac(MANY_MACS_BASE + i), LocalFdb.location(1 + i % (PORTS - 1), GENERATION));
        }
        fdb.learn(VAN, REMOTE, LocalFdb.location(OverlayTopology.REMOTE_BASE, 0));

        mbufs = new long[Burst.MAX];
        final UnsafeBuffer rxArray = new UnsafeBuffer(burst.rxArrayAddress(), Burst.MAX * Long.BYTES);
        for (int i = 0; i < Burst.MAX; i++)
        {
            mbufs[i] = io.receive(frames[i], BenchPacketIo.HEADROOM, ingress.dpdkPortId());
            rxArray.putLong(i * Long.BYTES, mbufs[i]);
        }
        for (int i = 0; i < CHECKED_BURSTS; i++)
        {
            stages();
        }
        verify("stages", io, CHECKED_BURSTS);
    }

    private void setUpAgent()
    {
        agentIo = new BenchPacketIo(Burst.MAX, 2 * Burst.MAX);
        agent = new PmdAgent(0, -1, agentIo, FDB_CAPACITY);
        final PmdProxy proxy = new PmdProxy(agent);
        proxy.installTopology(topology);
        proxy.learnFromPeer(VAN, BOB, 1, GENERATION);
        for (int i = 0; i < Burst.MAX; i++)
        {
            proxy.learnFromPeer(VAN, BenchFrames.tenantMac(MANY_MACS_BASE + i), 1 + i % (PORTS - 1), GENERATION);
        }
        proxy.installRemote(VAN, REMOTE, 0);
        while (agent.doWork() > 0)
        {
            // commands are drained a few per duty cycle
        }
        final long[] agentMbufs = new long[Burst.MAX];
        for (int i = 0; i < Burst.MAX; i++)
        {
            agentMbufs[i] = agentIo.receive(frames[i], BenchPacketIo.HEADROOM, ingress.dpdkPortId());
        }
        agentIo.receiveOn(ingress.dpdkPortId(), agentMbufs, Burst.MAX);
        for (int i = 0; i < CHECKED_BURSTS; i++)
        {
            dutyCycle();
        }
        verify("dutyCycle", agentIo, CHECKED_BURSTS);
    }

    /** Throws unless {@code bursts} bursts sent what the scenario says and left every mbuf as received. */
    private void verify(final String method, final BenchPacketIo io, final int bursts)
    {
        if (io.txTotal() != (long)bursts * expectedTxPerBurst || !io.settled())
        {
            throw new IllegalStateException(scenario + " (" + method + "): " + bursts + " bursts sent " + io.txTotal() +
                " frames, expected " + (long)bursts * expectedTxPerBurst + (io.settled() ? "" : "; mbufs not all back"));
        }
        if (io == this.io)
        {
            for (int i = 0; i < Burst.MAX; i++)
            {
                if (!Arrays.equals(io.data(mbufs[i]), frames[i]))
                {
                    throw new IllegalStateException(scenario + ": frame " + i + " changed by the switch: it cannot be received again");
                }
            }
        }
    }

    @TearDown
    public void tearDown()
    {
        if (!io.settled() || !agentIo.settled())
        {
            throw new IllegalStateException(scenario + ": mbufs leaked while measuring");
        }
    }

    @Benchmark
    @OperationsPerInvocation(Burst.MAX)
    public long stages()
    {
        burst.load(ingress, Burst.MAX);
        final UnderlayStage underlayStage = this.underlayStage;
        if (null != underlayStage)
        {
            underlayStage.process(burst, topology);
        }
        else
        {
            ingressStage.process(burst);
            forwardStage.process(burst, topology);
            outputStage.process(burst, topology);
        }
        txQueues.flushAll();
        return io.txTotal();
    }

    @Benchmark
    @OperationsPerInvocation(Burst.MAX)
    public int dutyCycle()
    {
        return agent.doWork();
    }
}
