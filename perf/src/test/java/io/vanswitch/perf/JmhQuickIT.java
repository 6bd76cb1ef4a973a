package io.vanswitch.perf;

import io.vanswitch.control.it.Environment;
import io.vanswitch.control.it.Shell;
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
 * Keeps the microbenchmarks from rotting: {@code perf/jmh.sh --quick} runs every benchmark the perf
 * jar lists (so JMH's annotation processor ran), each setup's own checks pass, and every benchmark
 * and parameter set gets a positive score in the harness's results. No speed is asserted, and no
 * DPDK, root or hugepages are needed.
 */
class JmhQuickIT
{
    @TempDir
    Path dir;

    @Test
    void quickRunScoresEveryBenchmark() throws IOException
    {
        final Path home = Environment.home();
        final Shell.Result result = Shell.bash("cd '" + home + "' && RESULTS='" + dir + "' bash perf/jmh.sh --quick 2>&1");
        assertEquals(0, result.exitCode(), result.output());

        final Set<String> expected = listedBenchmarks(home.resolve("perf/target/vanswitch-perf.jar"));
        assertFalse(expected.isEmpty(), "the perf jar lists no benchmarks: did JMH's annotation processor run?");
        final Map<String, Double> scores = new TreeMap<>();
        for (final String line : Files.readAllLines(dir.resolve("results.tsv")))
        {
            final String[] fields = line.split("\t", -1);
            if (fields[0].equals("jmh") && fields[3].equals("ns_op"))
            {
                scores.put(fields[2], Double.parseDouble(fields[4]));
            }
        }
        assertEquals(expected, scores.keySet(), "one score per benchmark and parameter set:\n" + result.output());
        scores.forEach((name, score) -> assertTrue(score > 0, name + " scored " + score));
        assertTrue(Files.readString(dir.resolve("scenarios.tsv")).startsWith("jmh\t"), "the scenario is described");
        final String report = Files.readString(dir.resolve("report.md"));
        for (final String name : expected)
        {
            assertTrue(report.contains("| " + name + " | "), name + " in report.md:\n" + report);
        }
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
