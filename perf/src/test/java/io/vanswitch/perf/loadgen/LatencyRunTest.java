package io.vanswitch.perf.loadgen;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole measurement plan over the in-memory two-port switch, down to the results.tsv records.
 */
class LatencyRunTest
{
    @TempDir
    Path dir;

    private final LoopbackPacketIo io = new LoopbackPacketIo(4096);
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @AfterEach
    void close()
    {
        assertEquals(0, io.leaked(), "mbufs leaked");
        io.close();
    }

    private int run(final String... args)
    {
        final LatencyOptions options = new LatencyOptions();
        new CommandLine(options).parseArgs(args);
        assertEquals(null, options.problem());
        final ResultOutput output = new ResultOutput(new PrintStream(stdout, true, StandardCharsets.UTF_8), options.results(),
            options.scenario(), options.switchName(), options.x());
        try (TrafficLoop loop = new TrafficLoop(io, 0, 1, new FrameTemplate(options.frameBytes()), new MacSpreader(options.macs())))
        {
            return new LatencyRun(options, 300_000_000L, loop, output).run();
        }
    }

    @Test
    void measuresTheMaximumThenEachLoadAndRecordsThem() throws IOException
    {
        assertEquals(0, run("--socket-a", "/a", "--socket-b", "/b", "--duration", "0.05", "--warmup", "0.01",
            "--results", dir.toString(), "--scenario", "local-latency", "--switch", "loopback"));

        final List<String[]> records = Files.readAllLines(dir.resolve("results.tsv")).stream().map(l -> l.split("\t", -1)).toList();
        assertEquals(1 + 3 * 4, records.size(), String.join("\n", Files.readAllLines(dir.resolve("results.tsv"))));
        for (final String[] record : records)
        {
            assertEquals(6, record.length);
            assertEquals("local-latency", record[0]);
            assertEquals("loopback", record[1]);
        }
        assertEquals(List.of("max", "max_mpps"), List.of(records.get(0)[2], records.get(0)[3]));
        assertTrue(Double.parseDouble(records.get(0)[4]) > 0);

        final Map<String, Double> values = new HashMap<>();
        for (final String[] record : records.subList(1, records.size()))
        {
            values.put(record[2] + " " + record[3], Double.parseDouble(record[4]));
            assertTrue(record[5].contains("lost 0 (0.000%)"), record[5]);
        }
        for (final String load : new String[]{ "10%", "50%", "90%" })
        {
            final double p50 = values.get(load + " p50_us");
            final double p99 = values.get(load + " p99_us");
            final double p999 = values.get(load + " p999_us");
            final double max = values.get(load + " max_us");
            assertTrue(p50 <= p99 && p99 <= p999 && p999 <= max, load + ": " + values);
        }
        final String summary = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("max rate: "), summary);
        assertTrue(summary.contains("learning: B taught 1 MAC at 100000 frames/s in 1 pass"), summary);
        assertTrue(summary.contains("1 of 1 came through to A (8 frames sent, 8 arrived)"), summary);
    }

    @Test
    void aGivenMaximumIsNotMeasuredAndTheScaleRunRecordsTheLearningTime() throws IOException
    {
        assertEquals(0, run("--socket-a", "/a", "--socket-b", "/b", "--duration", "0.02", "--warmup", "0", "--loads", "50%",
            "--max-mpps", "0.5", "--macs", "2000", "--learn-rate", "1000000", "--results", dir.toString(), "--x", "2000"));

        final List<String> lines = Files.readAllLines(dir.resolve("results.tsv"));
        assertFalse(lines.stream().anyMatch(l -> l.contains("\tmax_mpps\t")), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("latency\tswitch\t2000\tlearn_s\t"), lines.get(0));
        assertTrue(lines.get(0).endsWith("2000 MACs at 1000000 frames/s in 1 pass, 2000 reached A; 2000 frames sent"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("latency\tswitch\t50%\tp99_us\t")), String.join("\n", lines));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("given with --max-mpps"));
    }

    @Test
    void theScaleScenarioMeasuresTheMaximumOnly() throws IOException
    {
        // as perf/scale.sh calls it
        assertEquals(0, run("--socket-a", "/a", "--socket-b", "/b", "--duration", "0.05", "--warmup", "0.01", "--loads", "none",
            "--macs", "1000", "--learn-rate", "1000000", "--results", dir.toString(), "--scenario", "scale-macs", "--switch", "loopback",
            "--x", "1000"));
        final List<String> lines = Files.readAllLines(dir.resolve("results.tsv"));
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("scale-macs\tloopback\t1000\tlearn_s\t"), lines.get(0));
        assertTrue(lines.get(1).startsWith("scale-macs\tloopback\t1000\tmax_mpps\t"), lines.get(1));
        assertFalse(stdout.toString(StandardCharsets.UTF_8).contains("p99.9 us"), "no load table");
    }

    @Test
    void noFramesBackIsAClearFailure()
    {
        io.deliver(false);
        final PrintStream err = System.err;
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(1, run("--socket-a", "/a", "--socket-b", "/b", "--results", dir.toString()));
        }
        finally
        {
            System.setErr(err);
        }
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains(LatencyRun.NO_PATH), stderr.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("results.tsv")));
    }
}
