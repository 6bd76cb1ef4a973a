package io.vanswitch.perf;

import io.vanswitch.control.it.Environment;
import io.vanswitch.control.it.Shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the kernel scenarios of the harness from rotting: {@code perf/kernel.sh --quick} runs end to
 * end (Linux bridge, kernel VXLAN, vanswitch on one host and across two, endpoints in namespaces) and
 * every path carried TCP and answered pings. It asserts no speed, only that each figure was measured.
 */
class KernelScenariosIT
{
    private static final List<String> PATHS = List.of("linux-bridge", "kernel-vxlan", "vanswitch", "vanswitch-2hosts");

    @TempDir
    Path dir;

    @Test
    void quickRunMeasuresEveryPath() throws IOException
    {
        Environment.require(false, 512);
        Environment.requireExecutable("/usr/bin/iperf3", "apt-get install iperf3");
        final Shell.Result result = Shell.bash("cd '" + Environment.home() + "' && RESULTS='" + dir + "' bash perf/kernel.sh --quick 2>&1");
        assertEquals(0, result.exitCode(), result.output());
        final List<String[]> rows = Files.readAllLines(dir.resolve("results.tsv")).stream().map(line -> line.split("\t")).toList();
        for (final String path : PATHS)
        {
            assertTrue(positive(rows, "kernel-tcp", path, "tcp_gbps"), path + " carried TCP:\n" + result.output());
            assertTrue(positive(rows, "kernel-ping", path, "rtt_avg_ms"), path + " answered pings:\n" + result.output());
        }
        assertTrue(Files.readString(dir.resolve("report.md")).contains("| vanswitch-2hosts |"), "report.md has the ping table");
        assertEquals("", Shell.bash("ip netns list | grep '^vsk-' || true").output(), "the namespaces are gone");
    }

    /** Whether any row of scenario/switch/metric (any x) has a value above zero. */
    private static boolean positive(final List<String[]> rows, final String scenario, final String path, final String metric)
    {
        return rows.stream().anyMatch(r -> r.length >= 5 && r[0].equals(scenario) && r[1].equals(path) && r[3].equals(metric) &&
            Double.parseDouble(r[4]) > 0);
    }
}
