package io.vanswitch.perf.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsParserTest
{
    @TempDir
    Path dir;

    @Test
    void readsEveryFileInFileOrder()
    {
        final ParsedResults results = ResultsParser.parse(Fixtures.standard(dir));
        assertEquals(9, results.measurements().size());
        assertEquals(new Measurement("local-loop", "ovs", "64", "mpps", new BigDecimal("6.00"), "processing cycles 80%"),
            results.measurements().getFirst());
        assertEquals(List.of("date", "cpus"), List.copyOf(results.machine().keySet()));
        assertEquals("2", results.machine().get("cpus"));
        assertEquals(new ScenarioInfo("local-loop", "Local switching", "frame size (bytes)", "1", "testpmd macswap loop"),
            results.scenarios().get("local-loop"));
        assertEquals(List.of(), results.malformed());
    }

    @Test
    void anEmptyValueIsASwitchNotMeasuredWithItsNote()
    {
        final Measurement gap = ResultsParser.parse(Fixtures.standard(dir)).measurements().get(7);
        assertNull(gap.value());
        assertEquals("not measured: \"timeout\"", gap.note());
    }

    @Test
    void malformedLinesAreSkippedAndCountedWithTheirLineNumbers()
    {
        Fixtures.write(dir, """
            s\tvanswitch\t64\tmpps\t1.5\t
            just text
            s\tvanswitch\t64\tmpps\tfast\t
            s\tvanswitch\t128\tmpps\tNaN\t
            s\t\t64\tmpps\t1\t
            s\tvanswitch\t256\tmpps\t0x10
            s\tovs\t64\tmpps\t1e1
            """, "only-a-name\n", "no tab here\n");
        final ParsedResults results = ResultsParser.parse(dir);
        assertEquals(2, results.measurements().size(), "the good lines, the last without a note");
        assertEquals(new BigDecimal("1e1"), results.measurements().get(1).value());
        assertEquals(List.of(
            new MalformedLine("results.tsv", 2, "1 field, expected 6: scenario, switch, x, metric, value, note (may be empty)"),
            new MalformedLine("results.tsv", 3, "value 'fast' is not a decimal number"),
            new MalformedLine("results.tsv", 4, "value 'NaN' is not a decimal number"),
            new MalformedLine("results.tsv", 5, "empty scenario, switch, x or metric"),
            new MalformedLine("results.tsv", 6, "value '0x10' is not a decimal number"),
            new MalformedLine("scenarios.tsv", 1, "1 field, expected 5: scenario, title, x-axis label, cores, method"),
            new MalformedLine("machine.tsv", 1, "expected key <TAB> value")), results.malformed());
    }

    @Test
    void blankLinesCommentsHeadersCarriageReturnsAndAByteOrderMarkAreNotMalformed()
    {
        Fixtures.write(dir, "\uFEFFscenario\tswitch\tx\tmetric\tvalue\tnote\r\n# a comment\n\n s \tvanswitch\t64\tmpps\t2\tnote\twith a tab\r\n",
            "scenario\ttitle\tx-axis label\tcores\tmethod\ns\tS\n", "key\tvalue\r\nkernel\t6.1\r\n");
        final ParsedResults results = ResultsParser.parse(dir);
        assertEquals(List.of(), results.malformed());
        assertEquals(List.of(new Measurement("s", "vanswitch", "64", "mpps", new BigDecimal("2"), "note with a tab")),
            results.measurements());
        assertEquals(new ScenarioInfo("s", "S", "", "", ""), results.scenarios().get("s"));
        assertEquals(Map.of("kernel", "6.1"), results.machine());
    }

    @Test
    void scenariosAndMachineAreOptional()
    {
        Fixtures.write(dir, "s\tvanswitch\t64\tmpps\t2\t\n", null, null);
        final ParsedResults results = ResultsParser.parse(dir);
        assertEquals(1, results.measurements().size());
        assertTrue(results.scenarios().isEmpty());
        assertTrue(results.machine().isEmpty());
    }

    @Test
    void aMissingOrEmptyResultsFileIsAnError()
    {
        final ReportException missing = assertThrows(ReportException.class, () -> ResultsParser.parse(dir));
        assertTrue(missing.getMessage().startsWith("no " + dir.resolve("results.tsv")), missing.getMessage());
        Fixtures.write(dir, "\n", null, null);
        final ReportException empty = assertThrows(ReportException.class, () -> ResultsParser.parse(dir));
        assertEquals(dir.resolve("results.tsv") + " is empty: no scenario recorded a measurement", empty.getMessage());
        Fixtures.write(dir, "bad line\n", null, null);
        final ReportException onlyBad = assertThrows(ReportException.class, () -> ResultsParser.parse(dir));
        assertTrue(onlyBad.getMessage().contains("holds no measurement (1 malformed line, first: results.tsv line 1:"),
            onlyBad.getMessage());
    }
}
