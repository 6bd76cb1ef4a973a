package io.vanswitch.perf.report;

import java.util.List;
import java.util.Map;

/**
 * Everything read from a results directory, in file order.
 *
 * @param machine   machine.tsv's keys and values (empty when the file is missing).
 * @param scenarios scenarios.tsv by scenario name, the first line of a name winning.
 */
public record ParsedResults(
    Map<String, String> machine,
    Map<String, ScenarioInfo> scenarios,
    List<Measurement> measurements,
    List<MalformedLine> malformed)
{
}
