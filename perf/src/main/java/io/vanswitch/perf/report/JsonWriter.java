package io.vanswitch.perf.report;

import java.util.List;
import java.util.Map;

/**
 * report.json: the content of report.md for programs (dashboards, the comparison of two runs). Values and ratios
 * are JSON numbers, a missing one null; every scenario field the TSV files hold is a string, as written.
 */
public final class JsonWriter
{
    private JsonWriter()
    {
    }

    public static String write(final Report report)
    {
        final JsonOut json = new JsonOut().beginObject(false);
        json.member("date", report.date());
        json.key("machine").beginObject(false);
        for (final Map.Entry<String, String> entry : report.machine().entrySet())
        {
            json.member(entry.getKey(), entry.getValue());
        }
        json.endObject();
        malformed(json, report.malformed());
        summary(json, report);
        json.key("scenarios").beginArray(false);
        for (final ScenarioReport scenario : report.scenarios())
        {
            scenario(json, scenario);
        }
        json.endArray();
        json.key("unmeasured_scenarios").beginArray(false);
        for (final ScenarioInfo info : report.unmeasured())
        {
            info(json.beginObject(false), info).endObject();
        }
        json.endArray();
        return json.endObject().text();
    }

    private static void malformed(final JsonOut json, final List<MalformedLine> malformed)
    {
        json.key("malformed_lines").number(Integer.toString(malformed.size()));
        json.key("malformed").beginArray(false);
        for (final MalformedLine line : malformed)
        {
            json.beginObject(true).member("file", line.file()).key("line").number(Integer.toString(line.line()))
                .member("reason", line.reason()).endObject();
        }
        json.endArray();
    }

    /** The summary of report.md: each scenario's first metric, vanswitch over each reference at each x. */
    private static void summary(final JsonOut json, final Report report)
    {
        json.key("summary").beginArray(false);
        for (final ScenarioReport scenario : report.scenarios())
        {
            final MetricTable table = scenario.firstMetric();
            for (int x = 0; x < table.xs().size(); x++)
            {
                if (!table.subjectMeasured(x))
                {
                    continue;
                }
                for (final String reference : table.references())
                {
                    json.beginObject(true)
                        .member("scenario", scenario.name())
                        .member("metric", table.metric())
                        .member("better", MetricUnits.better(table.metric()))
                        .member("x", table.xs().get(x))
                        .member("reference", reference)
                        .key("ratio").number(Numbers.jsonRatio(table.ratio(x, reference)))
                        .endObject();
                }
            }
        }
        json.endArray();
        // each variant of vanswitch (vanswitch-proxies, ...) over vanswitch, where vanswitch was measured
        json.key("variant_summary").beginArray(false);
        for (final ScenarioReport scenario : report.scenarios())
        {
            final MetricTable table = scenario.firstMetric();
            for (int x = 0; x < table.xs().size(); x++)
            {
                if (!table.subjectMeasured(x))
                {
                    continue;
                }
                for (final String variant : table.variants())
                {
                    json.beginObject(true)
                        .member("scenario", scenario.name())
                        .member("metric", table.metric())
                        .member("better", MetricUnits.better(table.metric()))
                        .member("x", table.xs().get(x))
                        .member("variant", variant)
                        .key("ratio").number(Numbers.jsonRatio(table.variantRatio(x, variant)))
                        .endObject();
                }
            }
        }
        json.endArray();
    }

    private static void scenario(final JsonOut json, final ScenarioReport scenario)
    {
        info(json.beginObject(false), scenario.info());
        strings(json.key("x"), scenario.xs());
        json.key("metrics").beginArray(false);
        for (final MetricTable table : scenario.metrics())
        {
            metric(json, scenario, table);
        }
        json.endArray();
        json.key("notes").beginArray(false);
        for (final Note note : scenario.notes())
        {
            json.beginObject(true).member("switch", note.switchName());
            strings(json.key("x"), note.xs());
            json.member("note", note.text()).endObject();
        }
        json.endArray();
        json.endObject();
    }

    private static JsonOut info(final JsonOut json, final ScenarioInfo info)
    {
        return json.member("name", info.name())
            .member("title", info.title())
            .member("x_label", info.xLabel())
            .member("cores", info.cores())
            .member("method", info.method());
    }

    private static void metric(final JsonOut json, final ScenarioReport scenario, final MetricTable table)
    {
        json.beginObject(false)
            .member("metric", table.metric())
            .member("label", MetricUnits.label(table.metric()))
            .member("better", MetricUnits.better(table.metric()))
            .member("chart", ReportFiles.chart(scenario.name(), table.metric()));
        strings(json.key("switches"), table.switches());
        strings(json.key("references"), table.references());
        strings(json.key("variants"), table.variants());
        json.key("rows").beginArray(false);
        for (int x = 0; x < table.xs().size(); x++)
        {
            row(json, table, x);
        }
        json.endArray().endObject();
    }

    private static void row(final JsonOut json, final MetricTable table, final int x)
    {
        json.beginObject(true).member("x", table.xs().get(x));
        json.key("values").beginObject(true);
        boolean repeated = false;
        for (int s = 0; s < table.switches().size(); s++)
        {
            final Cell cell = table.cell(x, s);
            json.key(table.switches().get(s)).number(null == cell || !cell.measured() ? "null" : Numbers.json(cell.value()));
            repeated |= null != cell && cell.runs().size() > 1;
        }
        json.endObject();
        json.key("ratios").beginObject(true);
        for (final String reference : table.references())
        {
            json.key(reference).number(Numbers.jsonRatio(table.ratio(x, reference)));
        }
        json.endObject();
        json.key("variant_ratios").beginObject(true);
        for (final String variant : table.variants())
        {
            json.key(variant).number(Numbers.jsonRatio(table.variantRatio(x, variant)));
        }
        json.endObject();
        if (repeated)
        {
            // the runs behind a mean, only for cells recorded more than once
            json.key("runs").beginObject(true);
            for (int s = 0; s < table.switches().size(); s++)
            {
                final Cell cell = table.cell(x, s);
                if (null != cell && cell.runs().size() > 1)
                {
                    json.key(table.switches().get(s)).beginArray(true);
                    cell.runs().forEach(run -> json.number(Numbers.json(run)));
                    json.endArray();
                }
            }
            json.endObject();
        }
        json.endObject();
    }

    private static void strings(final JsonOut json, final List<String> values)
    {
        json.beginArray(true);
        values.forEach(json::string);
        json.endArray();
    }
}
