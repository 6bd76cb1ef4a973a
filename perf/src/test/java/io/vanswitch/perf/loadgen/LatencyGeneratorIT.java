package io.vanswitch.perf.loadgen;

import io.vanswitch.control.it.Environment;
import io.vanswitch.control.it.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator end to end, in quick mode, through the simplest switch there is: dpdk-testpmd io
 * forwarding between two net_vhost ports (the command of run_testpmd_io in perf/local-loop.sh),
 * forwarding on CPU 1, its main lcore on CPU 0 asleep between stats; the generator's one thread on
 * CPU 0. Asserts no speed, only that it measured: a maximum rate, and latency records at each load
 * in order (p50 <= p99 <= p99.9 <= max).
 */
class LatencyGeneratorIT
{
    private static final String TESTPMD_PREFIX = "vslgit-tp";
    private static final String GENERATOR_PREFIX = "vslgit-gen";

    @TempDir
    Path dir;

    private Process testpmd;

    @AfterEach
    void stopTestpmd() throws InterruptedException
    {
        if (null != testpmd)
        {
            testpmd.destroy();
            if (!testpmd.waitFor(10, TimeUnit.SECONDS))
            {
                testpmd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        // the generator runs --in-memory and leaves none; testpmd's files stay after a kill
        Shell.bash("rm -f /dev/hugepages/" + TESTPMD_PREFIX + "* /dev/hugepages/" + GENERATOR_PREFIX + "*");
    }

    @Test
    void measuresTheMaximumRateAndTheLatencyAtEachLoadThroughTestpmdIo() throws IOException, InterruptedException
    {
        Environment.require(true, 600);
        final Path socketA = dir.resolve("tp0.sock");
        final Path socketB = dir.resolve("tp1.sock");
        final Path log = dir.resolve("testpmd.log");
        testpmd = new ProcessBuilder(List.of("dpdk-testpmd", "-l", "0,1", "--main-lcore=0", "--no-pci",
            "--file-prefix=" + TESTPMD_PREFIX, "-m", "256", "--log-level=*:notice",
            "--vdev", "net_vhost0,iface=" + socketA + ",queues=1", "--vdev", "net_vhost1,iface=" + socketB + ",queues=1",
            "--", "--total-num-mbufs=16384", "--forward-mode=io", "--auto-start", "--stats-period", "5", "--no-lsc-interrupt"))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // (control's Await needs control's main classes, which perf's tests do not have)
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(socketA) && Files.exists(socketB)) && testpmd.isAlive() && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(testpmd.isAlive(), "testpmd exited:\n" + read(log));
        assertTrue(Files.exists(socketA) && Files.exists(socketB), "testpmd's vhost-user sockets within 30 s:\n" + read(log));

        final Path results = dir.resolve("results");
        final Shell.Result run = Shell.bash("cd '" + Environment.home() + "' && . control/scripts/lib.sh && . perf/lib.sh && " +
            "perf_latency --socket-a '" + socketA + "' --socket-b '" + socketB + "' --core 0 --file-prefix " + GENERATOR_PREFIX +
            " --duration 1 --warmup 0 --results '" + results + "' --scenario latency-it --switch testpmd-io 2>&1");
        final String context = run.output() + "\n--- testpmd:\n" + read(log);
        assertEquals(0, run.exitCode(), context);
        System.out.println(run.output());

        final Map<String, Double> values = new HashMap<>();
        for (final String line : Files.readAllLines(results.resolve("results.tsv")))
        {
            final String[] fields = line.split("\t", -1);
            assertEquals(6, fields.length, line);
            assertEquals("latency-it", fields[0], line);
            assertEquals("testpmd-io", fields[1], line);
            values.put(fields[2] + " " + fields[3], Double.parseDouble(fields[4]));
        }
        assertTrue(values.getOrDefault("max max_mpps", 0.0) > 0, "a maximum rate:\n" + values + "\n" + context);
        for (final String load : new String[]{ "10%", "50%", "90%" })
        {
            final Double p50 = values.get(load + " p50_us");
            final Double p99 = values.get(load + " p99_us");
            final Double p999 = values.get(load + " p999_us");
            final Double max = values.get(load + " max_us");
            assertTrue(null != p50 && null != p99 && null != p999 && null != max, "latency records at " + load + ":\n" + values + "\n" + context);
            assertTrue(p50 > 0 && p50 <= p99 && p99 <= p999 && p999 <= max, load + " percentiles in order: " + values);
        }
    }

    private static String read(final Path path)
    {
        try
        {
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "(no " + path + ")";
        }
    }
}
