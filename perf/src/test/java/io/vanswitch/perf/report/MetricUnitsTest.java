package io.vanswitch.perf.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricUnitsTest
{
    @Test
    void timesAreLowerIsBetterEverythingElseHigher()
    {
        for (final String metric : new String[]{ "p99_us", "rtt_avg_ms", "ns_op", "lookup_ns_op", "p50_ns", "downtime_s" })
        {
            assertTrue(MetricUnits.lowerIsBetter(metric), metric);
            assertEquals("lower", MetricUnits.better(metric));
        }
        for (final String metric : new String[]{ "mpps", "gbps", "tcp_gbps", "encap_mpps", "loss_pct", "frames", "us" })
        {
            assertFalse(MetricUnits.lowerIsBetter(metric), metric);
            assertEquals("higher", MetricUnits.better(metric));
        }
    }

    @Test
    void labelsSpellTheUnitOut()
    {
        assertEquals("Mpps", MetricUnits.label("mpps"));
        assertEquals("Throughput (Gbit/s)", MetricUnits.label("gbps"));
        assertEquals("TCP throughput (Gbit/s)", MetricUnits.label("tcp_gbps"));
        assertEquals("p99 latency (µs)", MetricUnits.label("p99_us"));
        assertEquals("p99.9 latency (µs)", MetricUnits.label("p999_us"));
        assertEquals("Average RTT (ms)", MetricUnits.label("rtt_avg_ms"));
        assertEquals("Time per operation (ns)", MetricUnits.label("ns_op"));
        assertEquals("Lookup time per operation (ns)", MetricUnits.label("lookup_ns_op"));
        assertEquals("Encap rate (Mpps)", MetricUnits.label("encap_mpps"));
        assertEquals("CPU busy (%)", MetricUnits.label("cpu_busy_pct"));
        assertEquals("Frames lost", MetricUnits.label("frames_lost"));
    }
}
