package io.vanswitch.perf.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The whole report of one results directory, what both writers and the charts are made from.
 *
 * @param date       machine.tsv's date, else when results.tsv was last written.
 * @param unmeasured scenarios described in scenarios.tsv that recorded no measurement (stopped early?).
 * @param malformed  input lines skipped.
 */
public record Report(
    String date,
    Map<String, String> machine,
    List<ScenarioReport> scenarios,
    List<ScenarioInfo> unmeasured,
    List<MalformedLine> malformed)
{
    /** Every switch of the run in the order first recorded, so that a switch keeps its colour in every chart. */
    public List<String> switches()
    {
        final LinkedHashSet<String> names = new LinkedHashSet<>();
        for (final ScenarioReport scenario : scenarios)
        {
            for (final MetricTable table : scenario.metrics())
            {
                names.addAll(table.switches());
            }
        }
        return List.copyOf(names);
    }
}
