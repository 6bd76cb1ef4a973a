package io.vanswitch.perf.report;

/**
 * One line of scenarios.tsv: how a scenario describes itself.
 */
public record ScenarioInfo(String name, String title, String xLabel, String cores, String method)
{
    /** A scenario that measured but did not describe itself: its name stands in for the title. */
    public static ScenarioInfo untitled(final String name)
    {
        return new ScenarioInfo(name, name, "", "", "");
    }
}
