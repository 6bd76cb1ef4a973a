package io.vanswitch.perf;

import io.vanswitch.control.it.Environment;
import io.vanswitch.control.it.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the performance harness from rotting: the one command, {@code perf/run --quick}, runs every
 * scenario once (a few minutes), and each test here checks that a scenario measured what it claims, for
 * every switch that must be there. No speed is asserted: that is the harness's job, not a test's.
 * Open vSwitch is optional (the harness says when it skipped it), so its figures are not required.
 */
class PerfRunIT
{
    private static final List<String> KERNEL_PATHS = List.of("linux-bridge", "kernel-vxlan", "vanswitch", "vanswitch-veth", "vanswitch-veth-fastpath",
        "vanswitch-2hosts", "vanswitch-2hosts-veth");

    @TempDir
    static Path dir;
    private static Shell.Result run;
    private static List<String[]> rows;

    @BeforeAll
    static void runTheHarness() throws IOException
    {
        Environment.require(true, 600);
        Environment.requireExecutable("/usr/bin/iperf3", "apt-get install iperf3");
        run = Shell.bash("cd '" + Environment.home() + "' && perf/run --quick --out '" + dir + "' 2>&1");
        rows = Files.exists(dir.resolve("results.tsv")) ?
            Files.readAllLines(dir.resolve("results.tsv")).stream().map(line -> line.split("\t", -1)).toList() : List.of();
    }

    @Test
    void theRunSucceedsAndWritesTheReport() throws IOException
    {
        assertEquals(0, run.exitCode(), run.output());
        final String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("## Summary: vanswitch / reference"), report);
        assertTrue(report.contains("| cpu_model |") && report.contains("| mode | quick |"), "the machine block:\n" + report);
        final String json = Files.readString(dir.resolve("report.json"));
        assertTrue(json.startsWith("{") && json.contains("\"scenarios\""), json);
        for (final String chart : new String[]{ "local-mpps", "encap-mpps", "decap-mpps", "host-to-host-mpps", "latency-p99_us",
            "scale-macs-max_mpps", "kernel-tcp-tcp_gbps", "kernel-ping-rtt_avg_ms" })
        {
            assertTrue(Files.size(dir.resolve("charts/" + chart + ".png")) > 1000, chart + " chart");
            assertTrue(report.contains("charts/" + chart + ".png"), chart + " in report.md");
        }
    }

    @Test
    void packetRatesByFrameSize()
    {
        for (final String scenario : new String[]{ "local", "encap", "decap", "host-to-host" })
        {
            for (final String name : new String[]{ "testpmd-io", "vanswitch" })
            {
                for (final String frame : new String[]{ "64", "imix" })
                {
                    assertTrue(positive(scenario, name, frame, "mpps"), name + " carried " + frame + "-byte frames in " + scenario);
                    assertTrue(positive(scenario, name, frame, "gbps"), name + " " + frame + " Gbit/s in " + scenario);
                }
            }
        }
    }

    /**
     * The sealed variant of host to host (two sites' proxies, docs/federation.md) is measured beside the
     * unencrypted overlay at every frame size, or skipped there with a reason; never silently absent.
     */
    @Test
    void sealedHostToHostBesideTheOverlay() throws IOException
    {
        for (final String frame : new String[]{ "64", "imix" })
        {
            final boolean measured = positive("host-to-host", "vanswitch-proxies", frame, "mpps");
            final boolean skipped = rows.stream().anyMatch(r -> r.length >= 6 && r[0].equals("host-to-host") &&
                r[1].equals("vanswitch-proxies") && (r[2].equals(frame) || r[2].equals("all")) && r[3].equals("mpps") &&
                r[4].isEmpty() && r[5].startsWith("skipped: ") && r[5].length() > "skipped: ".length());
            assertTrue(measured || skipped, "vanswitch-proxies carried " + frame + "-byte frames in host-to-host or says why not");
            if (measured)
            {
                assertTrue(positive("host-to-host", "vanswitch-proxies", frame, "gbps"), "vanswitch-proxies " + frame + " Gbit/s");
            }
        }
        final String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("| vanswitch | vanswitch-proxies |"), "vanswitch-proxies is a column beside vanswitch:\n" + report);
        assertEquals("", Shell.bash("ip netns list | grep '^vsh2hp' || true").output(), "the proxies' namespaces are gone");
    }

    @Test
    void latencyPercentilesAtEachLoad()
    {
        for (final String name : new String[]{ "testpmd-io", "vanswitch" })
        {
            assertTrue(positive("latency", name, "max", "max_mpps"), name + " maximum rate");
            for (final String load : new String[]{ "10%", "50%", "90%" })
            {
                final double p50 = value("latency", name, load, "p50_us");
                final double p99 = value("latency", name, load, "p99_us");
                final double p999 = value("latency", name, load, "p999_us");
                final double max = value("latency", name, load, "max_us");
                assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999 && p999 <= max,
                    name + " at " + load + ": p50 " + p50 + ", p99 " + p99 + ", p99.9 " + p999 + ", max " + max);
            }
        }
    }

    @Test
    void scaleByMacsAndVans()
    {
        for (final String macs : new String[]{ "1", "1000" })
        {
            assertTrue(positive("scale-macs", "vanswitch", macs, "max_mpps"), "vanswitch with " + macs + " MACs");
            assertTrue(positive("scale-macs", "testpmd-io", macs, "max_mpps"), "testpmd io with " + macs + " MACs");
        }
        assertTrue(positive("scale-macs", "vanswitch", "1000", "learn_s"), "vanswitch learned 1000 MACs");
        for (final String vans : new String[]{ "1", "256" })
        {
            assertTrue(positive("scale-vans", "vanswitch", vans, "max_mpps"), "vanswitch with " + vans + " VANs");
        }
    }

    @Test
    void kernelEndpointsOnEveryPath()
    {
        for (final String path : KERNEL_PATHS)
        {
            assertTrue(rows.stream().anyMatch(r -> isPositive(r, "kernel-tcp", path, null, "tcp_gbps")), path + " carried TCP");
            assertTrue(positive("kernel-ping", path, "ping", "rtt_avg_ms"), path + " answered pings");
        }
        assertEquals("", Shell.bash("ip netns list | grep '^vsk-' || true").output(), "the kernel scenarios' namespaces are gone");
    }

    @Test
    void everyMicrobenchmarkScored() throws IOException
    {
        final Set<String> expected = listedBenchmarks(Environment.home().resolve("perf/target/vanswitch-perf.jar"));
        assertFalse(expected.isEmpty(), "the perf jar lists no benchmarks: did JMH's annotation processor run?");
        final Map<String, Double> scores = new TreeMap<>();
        rows.stream().filter(r -> r.length >= 5 && r[0].equals("jmh") && r[3].equals("ns_op") && !r[4].isEmpty())
            .forEach(r -> scores.put(r[2], Double.parseDouble(r[4])));
        assertEquals(expected, scores.keySet(), "one score per benchmark and parameter set");
        scores.forEach((name, score) -> assertTrue(score > 0, name + " scored " + score));
    }

    private static boolean positive(final String scenario, final String name, final String x, final String metric)
    {
        return rows.stream().anyMatch(r -> isPositive(r, scenario, name, x, metric));
    }

    private static boolean isPositive(final String[] r, final String scenario, final String name, final String x, final String metric)
    {
        return r.length >= 5 && r[0].equals(scenario) && r[1].equals(name) && (null == x || r[2].equals(x)) &&
            r[3].equals(metric) && !r[4].isEmpty() && Double.parseDouble(r[4]) > 0;
    }

    private static double value(final String scenario, final String name, final String x, final String metric)
    {
        return rows.stream().filter(r -> isPositive(r, scenario, name, x, metric)).mapToDouble(r -> Double.parseDouble(r[4]))
            .findFirst().orElse(Double.NaN);
    }

    /** Class.method[param=value,...] for every benchmark and parameter combination in the jar's BenchmarkList. */
    private static Set<String> listedBenchmarks(final Path jar) throws IOException
    {
        final Set<String> names = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile()))
        {
            final ZipEntry list = file.getEntry(BenchmarkList.BENCHMARK_LIST.replaceFirst("^/", ""));
            assertNotNull(list, jar + " holds no " + BenchmarkList.BENCHMARK_LIST);
            try (InputStream in = file.getInputStream(list))
            {
                for (final BenchmarkListEntry entry : BenchmarkList.readBenchmarkList(in))
                {
                    final String[] parts = entry.getUsername().split("\\.");
                    final String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
                    // JMH's JSON (and so jmh.sh) names the parameters in sorted order
                    final Map<String, String[]> params = new TreeMap<>(entry.getParams().orElse(Map.of()));
                    names.addAll(combinations(name, new ArrayList<>(params.entrySet()), 0, ""));
                }
            }
        }
        return names;
    }

    private static List<String> combinations(
        final String name, final List<Map.Entry<String, String[]>> params, final int index, final String prefix)
    {
        if (index == params.size())
        {
            return List.of(prefix.isEmpty() ? name : name + "[" + prefix + "]");
        }
        final List<String> names = new ArrayList<>();
        for (final String value : params.get(index).getValue())
        {
            final String param = params.get(index).getKey() + "=" + value;
            names.addAll(combinations(name, params, index + 1, prefix.isEmpty() ? param : prefix + "," + param));
        }
        return names;
    }
}
