package io.vanswitch.perf.report;

import java.util.List;

/**
 * One scenario of the report: how it describes itself, one table per metric (in the order first recorded) and
 * its notes.
 *
 * @param xs every x value of the scenario, in the order first recorded.
 */
public record ScenarioReport(ScenarioInfo info, List<String> xs, List<MetricTable> metrics, List<Note> notes)
{
    public String name()
    {
        return info.name();
    }

    /** The table summarised in the report's ratio summary. */
    public MetricTable firstMetric()
    {
        return metrics.getFirst();
    }
}
