package io.vanswitch.perf.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Arranges parsed results into the report: scenarios, metrics, switches and x values in the order results.tsv
 * first named them (the order the scenario measured in, which is the order its author meant), cells with repeated
 * runs averaged, notes said once.
 */
public final class ReportBuilder
{
    private ReportBuilder()
    {
    }

    /**
     * @param fallbackDate the run's date when machine.tsv has none.
     */
    public static Report build(final ParsedResults results, final String fallbackDate)
    {
        final Map<String, List<Measurement>> byScenario = new LinkedHashMap<>();
        for (final Measurement m : results.measurements())
        {
            byScenario.computeIfAbsent(m.scenario(), k -> new ArrayList<>()).add(m);
        }
        final List<ScenarioReport> scenarios = new ArrayList<>();
        for (final Map.Entry<String, List<Measurement>> entry : byScenario.entrySet())
        {
            final ScenarioInfo info = results.scenarios().get(entry.getKey());
            scenarios.add(scenario(null == info ? ScenarioInfo.untitled(entry.getKey()) : info, entry.getValue()));
        }
        final List<ScenarioInfo> unmeasured = new ArrayList<>();
        for (final ScenarioInfo info : results.scenarios().values())
        {
            if (!byScenario.containsKey(info.name()))
            {
                unmeasured.add(info);
            }
        }
        final String date = results.machine().get("date");
        return new Report(null == date || date.isBlank() ? fallbackDate : date, results.machine(), scenarios, unmeasured,
            results.malformed());
    }

    static ScenarioReport scenario(final ScenarioInfo info, final List<Measurement> measurements)
    {
        final LinkedHashSet<String> xs = new LinkedHashSet<>();
        final LinkedHashSet<String> switches = new LinkedHashSet<>();
        final Map<String, List<Measurement>> byMetric = new LinkedHashMap<>();
        for (final Measurement m : measurements)
        {
            xs.add(m.x());
            switches.add(m.switchName());
            byMetric.computeIfAbsent(m.metric(), k -> new ArrayList<>()).add(m);
        }
        final List<MetricTable> tables = new ArrayList<>();
        for (final Map.Entry<String, List<Measurement>> entry : byMetric.entrySet())
        {
            tables.add(table(entry.getKey(), entry.getValue(), xs, switches));
        }
        return new ScenarioReport(info, List.copyOf(xs), tables, notes(measurements));
    }

    /**
     * A table's rows and columns are only the x values and switches recorded for its metric, in the scenario's
     * order, so that a metric measured for one switch only is not a column of dashes.
     */
    private static MetricTable table(
        final String metric,
        final List<Measurement> measurements,
        final LinkedHashSet<String> scenarioXs,
        final LinkedHashSet<String> scenarioSwitches)
    {
        final List<String> xs = new ArrayList<>();
        final List<String> switches = new ArrayList<>();
        for (final String x : scenarioXs)
        {
            if (measurements.stream().anyMatch(m -> m.x().equals(x)))
            {
                xs.add(x);
            }
        }
        for (final String name : scenarioSwitches)
        {
            if (measurements.stream().anyMatch(m -> m.switchName().equals(name)))
            {
                switches.add(name);
            }
        }
        @SuppressWarnings("unchecked")
        final List<BigDecimal>[][] runs = new List[xs.size()][switches.size()];
        for (final Measurement m : measurements)
        {
            final int xIndex = xs.indexOf(m.x());
            final int switchIndex = switches.indexOf(m.switchName());
            if (null == runs[xIndex][switchIndex])
            {
                runs[xIndex][switchIndex] = new ArrayList<>();
            }
            if (null != m.value())
            {
                runs[xIndex][switchIndex].add(m.value());
            }
        }
        final Cell[][] cells = new Cell[xs.size()][switches.size()];
        for (int x = 0; x < xs.size(); x++)
        {
            for (int s = 0; s < switches.size(); s++)
            {
                cells[x][s] = null == runs[x][s] ? null : Cell.of(runs[x][s]);
            }
        }
        return new MetricTable(metric, xs, switches, cells);
    }

    /** Every metric's line of a switch at an x repeats the same note: said once, with the x values it was seen at. */
    private static List<Note> notes(final List<Measurement> measurements)
    {
        final Map<List<String>, LinkedHashSet<String>> xsByNote = new LinkedHashMap<>();
        for (final Measurement m : measurements)
        {
            if (!m.note().isEmpty())
            {
                xsByNote.computeIfAbsent(List.of(m.switchName(), m.note()), k -> new LinkedHashSet<>()).add(m.x());
            }
        }
        final List<Note> notes = new ArrayList<>();
        for (final Map.Entry<List<String>, LinkedHashSet<String>> entry : xsByNote.entrySet())
        {
            notes.add(new Note(entry.getKey().get(0), List.copyOf(entry.getValue()), entry.getKey().get(1)));
        }
        return notes;
    }
}
