package io.vanswitch.perf.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportBuilderTest
{
    @TempDir
    Path dir;

    @Test
    void scenariosSwitchesAndXValuesKeepTheOrderFirstRecorded()
    {
        final Report report = Fixtures.report(Fixtures.standard(dir));
        assertEquals(List.of("local-loop", "latency"), report.scenarios().stream().map(ScenarioReport::name).toList());
        final MetricTable mpps = report.scenarios().getFirst().firstMetric();
        assertEquals(List.of("64", "imix"), mpps.xs());
        assertEquals(List.of("ovs", "vanswitch", "vanswitch-encrypted"), mpps.switches());
        assertEquals(List.of("ovs", "vanswitch", "vanswitch-encrypted", "kernel"), report.switches());
        assertEquals("2026-11-27T10:00:00Z", report.date());
    }

    @Test
    void ratiosAreVanswitchOverEachReferenceNotOverItsVariants()
    {
        final MetricTable mpps = Fixtures.report(Fixtures.standard(dir)).scenarios().getFirst().firstMetric();
        assertEquals(List.of("ovs"), mpps.references());
        assertEquals(1.25, mpps.ratio(0, "ovs"), 1e-12);
        assertEquals(0.5, mpps.ratio(1, "ovs"), 1e-12);
        assertTrue(Double.isNaN(mpps.ratio(1, "vanswitch-encrypted")), "no value there");
    }

    @Test
    void aVariantIsComparedWithVanswitchItself()
    {
        final MetricTable mpps = Fixtures.report(Fixtures.standard(dir)).scenarios().getFirst().firstMetric();
        assertEquals(List.of("vanswitch-encrypted"), mpps.variants());
        assertEquals(0.4, mpps.variantRatio(0, "vanswitch-encrypted"), 1e-12);
        assertTrue(Double.isNaN(mpps.variantRatio(1, "vanswitch-encrypted")), "the variant has no value at imix");
        assertEquals(List.of(), Fixtures.report(Fixtures.standard(dir)).scenarios().get(1).firstMetric().variants());
    }

    @Test
    void aLowerIsBetterMetricKeepsTheSameRatioAndSaysWhichWayIsBetter()
    {
        final MetricTable p99 = Fixtures.report(Fixtures.standard(dir)).scenarios().get(1).firstMetric();
        assertEquals("lower", MetricUnits.better(p99.metric()));
        assertEquals(0.5, p99.ratio(0, "kernel"), 1e-12);
        assertTrue(Double.isNaN(p99.ratio(1, "kernel")), "the kernel was not measured at 90%");
        assertNull(p99.cell("90%", "kernel").value());
    }

    @Test
    void noRatiosWithoutASwitchNamedExactlyVanswitchOrAgainstZero()
    {
        Fixtures.write(dir, """
            variants\tvanswitch-encrypted\t64\tmpps\t3\t
            variants\tovs\t64\tmpps\t6\t
            zero\tvanswitch\t64\tmpps\t3\t
            zero\tovs\t64\tmpps\t0.000\t
            """, null, null);
        final Report report = Fixtures.report(dir);
        assertEquals(List.of(), report.scenarios().getFirst().firstMetric().references());
        assertEquals(List.of(), report.scenarios().getFirst().firstMetric().variants(), "a variant of nothing measured");
        final MetricTable zero = report.scenarios().get(1).firstMetric();
        assertEquals(List.of("ovs"), zero.references());
        assertTrue(Double.isNaN(zero.ratio(0, "ovs")));
    }

    @Test
    void aCellRecordedMoreThanOnceIsTheMeanOfItsRuns()
    {
        Fixtures.write(dir, """
            s\tvanswitch\t64\tmpps\t7.58\t
            s\tvanswitch\t64\tmpps\t8.81\t
            s\tvanswitch\t64\tmpps\t6.03\t
            """, null, null);
        final Cell cell = Fixtures.report(dir).scenarios().getFirst().firstMetric().cell(0, 0);
        assertEquals(new BigDecimal("7.473"), cell.value());
        assertEquals(3, cell.runs().size());
    }

    @Test
    void notesAreSaidOncePerSwitchWithTheirXValues()
    {
        Fixtures.write(dir, """
            s\tovs\t64\tmpps\t1\tskipped
            s\tovs\t64\tgbps\t1\tskipped
            s\tovs\t512\tmpps\t1\tskipped
            s\tovs\t512\tmpps\t1\tslow start
            s\tvanswitch\t64\tmpps\t1\tskipped
            """, null, null);
        assertEquals(List.of(
            new Note("ovs", List.of("64", "512"), "skipped"),
            new Note("ovs", List.of("512"), "slow start"),
            new Note("vanswitch", List.of("64"), "skipped")), Fixtures.report(dir).scenarios().getFirst().notes());
    }

    @Test
    void aScenarioNotDescribedIsTitledByItsNameAndOneDescribedButNotMeasuredIsListed()
    {
        Fixtures.write(dir, "s\tvanswitch\t64\tmpps\t1\t\n", "gone\tGone away\tx\t1\tm\n", null);
        final Report report = Fixtures.report(dir);
        assertEquals(ScenarioInfo.untitled("s"), report.scenarios().getFirst().info());
        assertEquals("s", report.scenarios().getFirst().info().title());
        assertEquals(List.of(new ScenarioInfo("gone", "Gone away", "x", "1", "m")), report.unmeasured());
        assertEquals("fallback-date", report.date(), "no machine.tsv");
    }
}
