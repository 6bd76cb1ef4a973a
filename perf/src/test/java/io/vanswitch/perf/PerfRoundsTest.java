package io.vanswitch.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's interleaved rounds (perf/lib.sh perf_rounds_begin/perf_rounds_end): the rates of N
 * rounds become one record per switch and frame size, the median, with every round's value in its
 * note; one round records directly; a skip repeated in every round is one record. Runs the shell
 * functions themselves (bash and python3, which the harness needs anyway); no DPDK.
 */
class PerfRoundsTest
{
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private List<String> results(final String mode, final String rounds, final String body) throws IOException, InterruptedException
    {
        final String script = String.join("\n",
            "set -u",
            "VS_HOME='" + REPO + "'",
            ". \"$VS_HOME/perf/lib.sh\"",
            "W='" + dir.resolve("w") + "'; RESULTS='" + dir.resolve("results") + "'; mkdir -p \"$W\" \"$RESULTS\"",
            "MODE=" + mode + (rounds.isEmpty() ? "" : "; ROUNDS=" + rounds),
            "perf_rounds_begin",
            body,
            "perf_rounds_end");
        final Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the shell did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        final Path file = dir.resolve("results/results.tsv");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void threeRoundsRecordTheMedianWithEveryRoundsValue() throws Exception
    {
        final List<String> rows = results("full", "", String.join("\n",
            "for r in 1 2 3; do",
            "  perf_record_rate encap vanswitch 64 $(echo '9.5 12.5 7.5' | cut -d' ' -f$r) \"note $r\"",
            "  perf_record_rate encap ovs 64 $(echo '10.1 8.1 9.0' | cut -d' ' -f$r) \"cycles $r\"",
            "done"));

        assertEquals(4, rows.size(), String.join("\n", rows));
        assertEquals("encap\tvanswitch\t64\tmpps\t9.500\tmedian of 3 interleaved rounds (9.500, 12.500, 7.500); note 1", rows.get(0));
        assertTrue(rows.get(1).startsWith("encap\tvanswitch\t64\tgbps\t4.864"), rows.get(1));
        assertEquals("encap\tovs\t64\tmpps\t9.000\tmedian of 3 interleaved rounds (10.100, 8.100, 9.000); cycles 3", rows.get(2));
    }

    @Test
    void quickModeMeasuresOnceAndRecordsDirectly() throws Exception
    {
        final List<String> rows = results("quick", "", "perf_record_rate local vanswitch imix 2.5 \"a note\"");

        assertEquals(2, rows.size(), String.join("\n", rows));
        assertEquals("local\tvanswitch\timix\tmpps\t2.5\ta note", rows.get(0));
    }

    @Test
    void twoRoundsTakeTheLowerOfTheTwo() throws Exception
    {
        final List<String> rows = results("full", "2", "perf_record_rate local ovs-normal 64 7.0; perf_record_rate local ovs-normal 64 5.0");

        assertEquals("local\tovs-normal\t64\tmpps\t5.000\tmedian of 2 interleaved rounds (7.000, 5.000)", rows.get(0));
    }

    @Test
    void aSkipInEveryRoundIsOneRecord() throws Exception
    {
        final List<String> rows = results("full", "3",
            "for r in 1 2 3; do perf_skip encap ovs \"not installed\" 2>/dev/null; done");

        assertEquals(List.of("encap\tovs\tall\tmpps\t\tskipped: not installed"), rows);
    }
}
