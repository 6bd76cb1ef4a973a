package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.overlay.RemoteEdge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The two lookups DecapStage makes per datagram before the inner frame's own: the destination VAN
 * id to the local VAN index, and the sender's underlay address to its edge (both in
 * OverlayTopology), with datagrams from {@code peers} peer hosts in {@code peers} VANs arriving in
 * a shuffled order.
 * <p>
 * Not final, and its fields not final: JMH subclasses its state classes, and a final field's value
 * could be folded into the measured code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OverlayLookupBenchmark
{
    private static final int PROBES = 4096;

    @Param({ "2", "1024" })
    public int peers;

    private OverlayTopology overlay;
    private int[] vanIds;
    private int[] senderIps;
    private int next;

    @Setup
    public void setUp()
    {
        final List<RemoteEdge> edges = new ArrayList<>();
        for (int i = 0; i < peers; i++)
        {
            edges.add(BenchFrames.edge(i, i));
        }
        final int[] vanIdByIndex = new int[peers];
        for (int i = 0; i < peers; i++)
        {
            vanIdByIndex[i] = 1000 + 7 * i;
        }
        final Map<Integer, int[]> floodEdges = new HashMap<>();
        overlay = new OverlayTopology(edges, floodEdges, vanIdByIndex, 1460);
        final SplittableRandom random = new SplittableRandom(42);
        vanIds = new int[PROBES];
        senderIps = new int[PROBES];
        for (int i = 0; i < PROBES; i++)
        {
            vanIds[i] = vanIdByIndex[random.nextInt(peers)];
            senderIps[i] = BenchFrames.peerIp(random.nextInt(peers));
        }
        next = 0;
    }

    /** @return the VAN index and edge index together; MISSING in either is a drop in DecapStage. */
    @Benchmark
    public int vanAndPeer()
    {
        final int i = next;
        next = (i + 1) & (PROBES - 1);
        return (overlay.vanIndex(vanIds[i]) << 16) ^ overlay.edgeIndex(senderIps[i]);
    }
}
