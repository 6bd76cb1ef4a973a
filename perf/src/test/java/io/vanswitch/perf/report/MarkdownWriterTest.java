package io.vanswitch.perf.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownWriterTest
{
    @TempDir
    Path dir;

    @Test
    void titleMachineAndSummaryOfRatiosComeFirst()
    {
        final String md = MarkdownWriter.write(Fixtures.report(Fixtures.standard(dir)));
        assertTrue(md.startsWith("""
            # vanswitch performance report, 2026-11-27T10:00:00Z

            ## Machine

            | key | value |
            |---|---|
            | date | 2026-11-27T10:00:00Z |
            | cpus | 2 |

            ## Summary: vanswitch / reference

            """), md);
        assertTrue(md.contains("""
            | scenario | metric | better | x | reference | vanswitch / reference |
            |---|---|---|---|---|---:|
            | local-loop | mpps | higher | 64 | ovs | 1.25 |
            | local-loop | mpps | higher | imix | ovs | 0.50 |
            | latency | p99_us | lower | 50% | kernel | 0.50 |
            | latency | p99_us | lower | 90% | kernel | - |

            Variants of vanswitch (vanswitch doing more, e.g. vanswitch-proxies: sealing between two sites' proxies) \
            over vanswitch itself, in the same scenario: what the variant's extra work costs.

            | scenario | metric | better | x | variant | variant / vanswitch |
            |---|---|---|---|---|---:|
            | local-loop | mpps | higher | 64 | vanswitch-encrypted | 0.40 |
            | local-loop | mpps | higher | imix | vanswitch-encrypted | - |

            """), md);
    }

    @Test
    void aVariantIsAColumnBesideVanswitchWithItsRatioToVanswitchNotAReference()
    {
        final Path results = Fixtures.write(dir,
            "host-to-host\ttestpmd-io\t64\tmpps\t8.0\t\n" +
            "host-to-host\tovs\tall\tmpps\t\tskipped: cannot share a core\n" +
            "host-to-host\tvanswitch\t64\tmpps\t4.0\t\n" +
            "host-to-host\tvanswitch-proxies\t64\tmpps\t1.0\tpeer rows since start: tx_packets=9\n" +
            "host-to-host\tvanswitch-proxies\t1518\tmpps\t\tskipped: too big\n" +
            "host-to-host\tvanswitch\t1518\tmpps\t1.0\t\n",
            "host-to-host\tHost to host\tframe size\t1\tloop\n", "date\t2026-11-27T10:00:00Z\n");
        final String md = MarkdownWriter.write(Fixtures.report(results));
        assertTrue(md.contains("| host-to-host | mpps | higher | 64 | testpmd-io | 0.50 |\n"), md);
        assertTrue(!md.contains("| vanswitch-proxies | 0.25 |\n| host-to-host | mpps | higher | 64 | vanswitch-proxies |"), md);
        assertTrue(md.contains("""
            | host-to-host | mpps | higher | 64 | vanswitch-proxies | 0.25 |
            | host-to-host | mpps | higher | 1518 | vanswitch-proxies | - |
            """), md);
        assertTrue(md.contains("""
            | frame size | testpmd-io | ovs | vanswitch | vanswitch-proxies | vanswitch / testpmd-io | vanswitch / ovs | vanswitch-proxies / vanswitch |
            |---|---:|---:|---:|---:|---:|---:|---:|
            | 64 | 8.0 | - | 4.0 | 1.0 | 0.50 | - | 0.25 |
            | all | - | - | - | - | - | - | - |
            | 1518 | - | - | 1.0 | - | - | - | - |
            """), md);
        assertTrue(md.contains("- vanswitch-proxies (1518): skipped: too big\n"), md);
    }

    @Test
    void theSummaryHasNoRowWhereVanswitchWasNotMeasured()
    {
        final Path results = Fixtures.write(dir,
            "h2h\ttestpmd-io\t64\tmpps\t8.0\t\n" +
            "h2h\tvanswitch\t64\tmpps\t4.0\t\n" +
            "h2h\tovs\tall\tmpps\t\tskipped: cannot share a core\n",
            "h2h\tHost to host\tframe size\t1\tloop\n", "date\t2026-11-27T10:00:00Z\n");
        final String md = MarkdownWriter.write(Fixtures.report(results));
        assertTrue(md.contains("| h2h | mpps | higher | 64 | testpmd-io | 0.50 |\n| h2h | mpps | higher | 64 | ovs | - |\n\n"), md);
        assertTrue(!md.contains("| h2h | mpps | higher | all |"), md);
    }

    @Test
    void aScenarioHasItsDescriptionATablePerMetricItsChartAndItsNotes()
    {
        final String md = MarkdownWriter.write(Fixtures.report(Fixtures.standard(dir)));
        assertTrue(md.contains("""
            ## Local switching (`local-loop`)

            Cores: 1.
            Method: testpmd macswap loop

            ### `mpps`: Mpps, higher is better

            | frame size (bytes) | ovs | vanswitch | vanswitch-encrypted | vanswitch / ovs | vanswitch-encrypted / vanswitch |
            |---|---:|---:|---:|---:|---:|
            | 64 | 6.00 | 7.50 | 3.0 | 1.25 | 0.40 |
            | imix | 4.00 | 2.00 | - | 0.50 | - |

            ![Local switching: mpps](charts/local-loop-mpps.png)

            Notes:

            - ovs (all): processing cycles 80%

            """), md);
        assertTrue(md.contains("""
            ## latency

            ### `p99_us`: p99 latency (µs), lower is better

            | x | vanswitch | kernel | vanswitch / kernel |
            |---|---:|---:|---:|
            | 50% | 20 | 40 | 0.50 |
            | 90% | 30 | - | - |

            ![latency: p99_us](charts/latency-p99_us.png)

            Notes:

            - kernel (90%): not measured: "timeout"
            """), md);
    }

    @Test
    void malformedLinesAreCountedAndScenariosWithoutRatiosNamed()
    {
        Fixtures.write(dir, """
            s\tvanswitch-encrypted\t64\tmpps\t3\tbad | pipe
            s\tovs\t64\tmpps\tbroken
            oops
            """, null, null);
        final String md = MarkdownWriter.write(Fixtures.report(dir));
        assertTrue(md.contains("""
            **2 malformed lines skipped**:

            - results.tsv line 2: value 'broken' is not a decimal number
            - results.tsv line 3: 1 field, expected 6: scenario, switch, x, metric, value, note (may be empty)
            """), md);
        assertTrue(md.contains("No ratios for `s`: no switch named \"vanswitch\" beside another.\n"), md);
        assertTrue(md.contains("Not described (no machine.tsv)."), md);
        assertTrue(md.contains("- vanswitch-encrypted (64): bad | pipe\n"), md);
    }

    @Test
    void aPipeInATableCellIsEscapedAndRepeatedRunsSaySo()
    {
        Fixtures.write(dir, """
            s\tvanswitch\ta|b\tmpps\t1\t
            s\tvanswitch\ta|b\tmpps\t2\t
            """, null, null);
        final String md = MarkdownWriter.write(Fixtures.report(dir));
        assertTrue(md.contains("| a\\|b | 1.5 (mean of 2) |\n"), md);
        assertEquals(-1, md.indexOf("## Summary: vanswitch / reference\n\n|"), "no summary rows without references");
    }
}
