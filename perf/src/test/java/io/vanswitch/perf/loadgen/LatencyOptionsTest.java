package io.vanswitch.perf.loadgen;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyOptionsTest
{
    private static LatencyOptions parse(final String... args)
    {
        final LatencyOptions options = new LatencyOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void defaults()
    {
        final LatencyOptions options = parse("--socket-a", "/s/a.sock", "--socket-b", "/s/b.sock");
        assertNull(options.problem());
        assertArrayEquals(new double[]{ 10, 50, 90 }, options.loadPercents());
        assertEquals(5_000_000_000L, options.durationNanos());
        assertEquals(1_000_000_000L, options.warmupNanos());
        assertEquals(64, options.frameBytes());
        assertEquals(1, options.macs());
        assertNull(options.maxMpps());
        assertNull(options.results());
        assertEquals("net_virtio_user0,path=/s/a.sock,queues=1", options.devargs(0));
        assertEquals("net_virtio_user1,path=/s/b.sock,queues=1", options.devargs(1));
        assertEquals(List.of("vsgen", "-l", "0", "--no-pci", "--single-file-segments", "--in-memory", "-m", "256",
            "--file-prefix", "vsgen", "--no-telemetry", "--log-level", "*:notice"), options.ealArguments());
    }

    @Test
    void serverModeAndTheEalArguments()
    {
        final LatencyOptions options = parse("--socket-a", "/a", "--socket-b", "/b", "--server", "--file-prefix", "gen2", "--mem", "128");
        assertNull(options.problem());
        assertEquals("net_virtio_user1,path=/b,queues=1,server=1", options.devargs(1));
        assertTrue(options.ealArguments().containsAll(List.of("--file-prefix", "gen2", "128")));
    }

    @Test
    void loadsTakeAnOptionalPercentSignAndLabelAsPercent()
    {
        final LatencyOptions options = parse("--socket-a", "/a", "--socket-b", "/b", "--loads", "25%,12.5,100");
        assertNull(options.problem());
        assertArrayEquals(new double[]{ 25, 12.5, 100 }, options.loadPercents());
        assertEquals("25%", LatencyOptions.loadLabel(25));
        assertEquals("12.5%", LatencyOptions.loadLabel(12.5));
        assertEquals("100%", LatencyOptions.loadLabel(100.0));
    }

    @Test
    void noLoadsMeansTheMaximumRateOnly()
    {
        final LatencyOptions options = parse("--socket-a", "/a", "--socket-b", "/b", "--loads", "none");
        assertNull(options.problem());
        assertEquals(0, options.loadPercents().length);
    }

    @Test
    void problemsNameTheOption()
    {
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--frame", "63").problem().startsWith("--frame"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--frame", "1519").problem().startsWith("--frame"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--loads", "0").problem().startsWith("--loads"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--loads", "101").problem().startsWith("--loads"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--loads", "half").problem().startsWith("--loads"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--duration", "0").problem().startsWith("--duration"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--macs", "0").problem().startsWith("--macs"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--max-mpps", "-1").problem().startsWith("--max-mpps"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--core", "4096").problem().startsWith("--core"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--file-prefix", "a b").problem().startsWith("--file-prefix"));
        assertTrue(parse("--socket-a", "/a", "--socket-b", "/b", "--switch", "a\tb").problem().contains("tabs"));
    }

    @Test
    void bothSocketsAreRequired()
    {
        assertThrows(CommandLine.MissingParameterException.class, () -> parse("--socket-a", "/a"));
    }
}
