package io.vanswitch.perf.jmh;

import io.vanswitch.dataplane.fdb.LocalFdb;
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
 * The forwarding table's lookup (LocalFdb) as ForwardStage does it per destination MAC, in tables of
 * 1 to 1M entries, each a table built for that many (capacity = entries, as {@code --fdb-size}).
 * The MACs are random and visited in a precomputed shuffled order, so a table larger than the
 * caches misses them as a switch with that many active MACs would; lookups are independent of one
 * another, as a burst's are, so the CPU may overlap their misses.
 * <p>
 * {@code hit}: a MAC in the table. {@code miss}: a MAC not in it (unknown unicast, which floods).
 * {@code remoteRoute}: what ForwardStage does for a MAC behind a peer host: the lookup, then the
 * edge found in the published overlay (every entry here is such a route, over 16 edges).
 * <p>
 * Not final, and its fields not final: JMH subclasses its state classes, and a final field's value
 * could be folded into the measured code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FdbLookupBenchmark
{
    private static final int EDGES = 16;
    private static final int VANS = 64;
    /** Probes per pass at least, so that a small table is still visited in a varied order. */
    private static final int MIN_PROBES = 4096;

    @Param({ "1", "1000", "100000", "1000000" })
    public int entries;

    private LocalFdb fdb;
    private OverlayTopology overlay;
    private int[] hitVans;
    private long[] hitMacs;
    private int[] missVans;
    private long[] missMacs;
    private int probes;
    private int next;

    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        fdb = new LocalFdb(entries);
        final int[] vans = new int[entries];
        final long[] macs = new long[entries];
        for (int i = 0; i < entries; i++)
        {
            vans[i] = random.nextInt(VANS);
            // a unicast MAC (group bit clear), any vendor: keys are spread as real ones are
            macs[i] = random.nextLong() & 0xFEFF_FFFF_FFFFL;
            if (!fdb.learn(vans[i], macs[i], LocalFdb.location(OverlayTopology.REMOTE_BASE + i % EDGES, 0)))
            {
                i--; // a duplicate key: draw again, so the table really holds `entries`
            }
        }
        probes = Math.max(entries, MIN_PROBES);
        hitVans = new int[probes];
        hitMacs = new long[probes];
        missVans = new int[probes];
        missMacs = new long[probes];
        for (int i = 0; i < probes; i++)
        {
            hitVans[i] = vans[i % entries];
            hitMacs[i] = macs[i % entries];
            do
            {
                missVans[i] = random.nextInt(VANS);
                missMacs[i] = random.nextLong() & 0xFEFF_FFFF_FFFFL;
            }
            while (fdb.lookup(missVans[i], missMacs[i]) != LocalFdb.MISSING);
        }
        shuffle(random, hitVans, hitMacs);
        shuffle(random, missVans, missMacs);

        final List<RemoteEdge> edges = new ArrayList<>();
        final Map<Integer, int[]> floodEdges = new HashMap<>();
        for (int i = 0; i < EDGES; i++)
        {
            edges.add(BenchFrames.edge(i, i));
        }
        final int[] vanIds = new int[VANS];
        for (int i = 0; i < VANS; i++)
        {
            vanIds[i] = 100 + i;
        }
        overlay = new OverlayTopology(edges, floodEdges, vanIds, 1460);
        next = 0;
    }

    private static void shuffle(final SplittableRandom random, final int[] vans, final long[] macs)
    {
        for (int i = vans.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int van = vans[i];
            vans[i] = vans[j];
            vans[j] = van;
            final long mac = macs[i];
            macs[i] = macs[j];
            macs[j] = mac;
        }
    }

    private int nextProbe()
    {
        final int i = next;
        next = i + 1 == probes ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public long hit()
    {
        final int i = nextProbe();
        return fdb.lookup(hitVans[i], hitMacs[i]);
    }

    @Benchmark
    public long miss()
    {
        final int i = nextProbe();
        return fdb.lookup(missVans[i], missMacs[i]);
    }

    /** @return the edge the frame would be encapsulated to, or null where ForwardStage would flood. */
    @Benchmark
    public RemoteEdge remoteRoute()
    {
        final int i = nextProbe();
        final long location = fdb.lookup(hitVans[i], hitMacs[i]);
        if (location == LocalFdb.MISSING || LocalFdb.slotOf(location) < OverlayTopology.REMOTE_BASE)
        {
            return null;
        }
        return overlay.edge(LocalFdb.slotOf(location) - OverlayTopology.REMOTE_BASE);
    }
}
