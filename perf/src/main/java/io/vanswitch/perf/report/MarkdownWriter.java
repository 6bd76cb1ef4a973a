package io.vanswitch.perf.report;

import java.util.List;
import java.util.Map;

/**
 * report.md: the run's date and machine, a summary of vanswitch's ratios to every other switch, then each scenario
 * with one table per metric, its chart and its notes.
 */
public final class MarkdownWriter
{
    /** More skipped lines than this are counted, not listed. */
    static final int MALFORMED_LISTED = 10;

    private MarkdownWriter()
    {
    }

    public static String write(final Report report)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# vanswitch performance report, ").append(report.date()).append("\n\n");
        machine(md, report.machine());
        malformed(md, report.malformed());
        summary(md, report);
        for (final ScenarioReport scenario : report.scenarios())
        {
            scenario(md, scenario);
        }
        if (!report.unmeasured().isEmpty())
        {
            md.append("## Scenarios without measurements\n\n");
            for (final ScenarioInfo info : report.unmeasured())
            {
                md.append("- ").append(info.title()).append(" (`").append(info.name()).append("`)\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static void machine(final StringBuilder md, final Map<String, String> machine)
    {
        md.append("## Machine\n\n");
        if (machine.isEmpty())
        {
            md.append("Not described (no ").append(ReportFiles.MACHINE).append(").\n\n");
            return;
        }
        md.append("| key | value |\n|---|---|\n");
        for (final Map.Entry<String, String> entry : machine.entrySet())
        {
            row(md, entry.getKey(), entry.getValue());
        }
        md.append('\n');
    }

    private static void malformed(final StringBuilder md, final List<MalformedLine> malformed)
    {
        if (malformed.isEmpty())
        {
            return;
        }
        md.append("**").append(malformed.size()).append(malformed.size() == 1 ? " malformed line" : " malformed lines")
            .append(" skipped**:\n\n");
        for (int i = 0; i < Math.min(malformed.size(), MALFORMED_LISTED); i++)
        {
            md.append("- ").append(malformed.get(i)).append('\n');
        }
        if (malformed.size() > MALFORMED_LISTED)
        {
            md.append("- and ").append(malformed.size() - MALFORMED_LISTED).append(" more\n");
        }
        md.append('\n');
    }

    private static void summary(final StringBuilder md, final Report report)
    {
        md.append("## Summary: vanswitch / reference\n\n");
        md.append("Each scenario's first metric: vanswitch's value divided by each other switch's, at each x. ")
            .append("Above 1 is vanswitch ahead when higher is better, behind when lower is better.\n\n");
        final StringBuilder rows = new StringBuilder();
        final StringBuilder without = new StringBuilder();
        for (final ScenarioReport scenario : report.scenarios())
        {
            final MetricTable table = scenario.firstMetric();
            if (table.references().isEmpty())
            {
                without.append(without.isEmpty() ? "" : ", ").append('`').append(scenario.name()).append('`');
                continue;
            }
            for (int x = 0; x < table.xs().size(); x++)
            {
                if (!table.subjectMeasured(x))
                {
                    continue;
                }
                for (final String reference : table.references())
                {
                    row(rows, scenario.name(), table.metric(), MetricUnits.better(table.metric()), table.xs().get(x),
                        reference, Numbers.ratio(table.ratio(x, reference)));
                }
            }
        }
        if (!rows.isEmpty())
        {
            md.append("| scenario | metric | better | x | reference | vanswitch / reference |\n")
                .append("|---|---|---|---|---|---:|\n").append(rows).append('\n');
        }
        variantSummary(md, report);
        if (!without.isEmpty())
        {
            md.append("No ratios for ").append(without).append(": no switch named \"").append(MetricTable.SUBJECT)
                .append("\" beside another.\n\n");
        }
    }

    /** Each variant of vanswitch over vanswitch in each scenario's first metric, where vanswitch was measured. */
    private static void variantSummary(final StringBuilder md, final Report report)
    {
        final StringBuilder rows = new StringBuilder();
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
                    row(rows, scenario.name(), table.metric(), MetricUnits.better(table.metric()), table.xs().get(x),
                        variant, Numbers.ratio(table.variantRatio(x, variant)));
                }
            }
        }
        if (!rows.isEmpty())
        {
            md.append("Variants of vanswitch (vanswitch doing more, e.g. vanswitch-proxies: sealing between two sites' proxies) ")
                .append("over vanswitch itself, in the same scenario: what the variant's extra work costs.\n\n")
                .append("| scenario | metric | better | x | variant | variant / vanswitch |\n")
                .append("|---|---|---|---|---|---:|\n").append(rows).append('\n');
        }
    }

    private static void scenario(final StringBuilder md, final ScenarioReport scenario)
    {
        final ScenarioInfo info = scenario.info();
        md.append("## ").append(info.title());
        if (!info.title().equals(info.name()))
        {
            md.append(" (`").append(info.name()).append("`)");
        }
        md.append("\n\n");
        if (!info.cores().isEmpty())
        {
            md.append("Cores: ").append(info.cores()).append(".\n");
        }
        if (!info.method().isEmpty())
        {
            md.append("Method: ").append(info.method()).append('\n');
        }
        if (!info.cores().isEmpty() || !info.method().isEmpty())
        {
            md.append('\n');
        }
        final String xLabel = info.xLabel().isEmpty() ? "x" : info.xLabel();
        for (final MetricTable table : scenario.metrics())
        {
            metric(md, scenario, table, xLabel);
        }
        if (!scenario.notes().isEmpty())
        {
            md.append("Notes:\n\n");
            for (final Note note : scenario.notes())
            {
                final boolean everyX = scenario.xs().size() > 1 && note.xs().size() == scenario.xs().size();
                md.append("- ").append(note.switchName()).append(" (")
                    .append(everyX ? "all" : String.join(", ", note.xs())).append("): ")
                    .append(note.text()).append('\n');
            }
            md.append('\n');
        }
    }

    static void metric(final StringBuilder md, final ScenarioReport scenario, final MetricTable table, final String xLabel)
    {
        md.append("### `").append(table.metric()).append("`: ").append(MetricUnits.label(table.metric())).append(", ")
            .append(MetricUnits.better(table.metric())).append(" is better\n\n");
        final int ratioColumns = 1 + table.switches().size() + table.references().size();
        final int columns = ratioColumns + table.variants().size();
        final String[] cells = new String[columns];
        cells[0] = xLabel;
        for (int s = 0; s < table.switches().size(); s++)
        {
            cells[1 + s] = table.switches().get(s);
        }
        for (int r = 0; r < table.references().size(); r++)
        {
            cells[1 + table.switches().size() + r] = MetricTable.SUBJECT + " / " + table.references().get(r);
        }
        for (int v = 0; v < table.variants().size(); v++)
        {
            cells[ratioColumns + v] = table.variants().get(v) + " / " + MetricTable.SUBJECT;
        }
        row(md, cells);
        md.append("|---").append("|---:".repeat(columns - 1)).append("|\n");
        for (int x = 0; x < table.xs().size(); x++)
        {
            cells[0] = table.xs().get(x);
            for (int s = 0; s < table.switches().size(); s++)
            {
                cells[1 + s] = cell(table.cell(x, s));
            }
            for (int r = 0; r < table.references().size(); r++)
            {
                cells[1 + table.switches().size() + r] = Numbers.ratio(table.ratio(x, table.references().get(r)));
            }
            for (int v = 0; v < table.variants().size(); v++)
            {
                cells[ratioColumns + v] = Numbers.ratio(table.variantRatio(x, table.variants().get(v)));
            }
            row(md, cells);
        }
        md.append("\n![").append(scenario.info().title().replace("]", "\\]")).append(": ").append(table.metric()).append("](")
            .append(ReportFiles.chart(scenario.name(), table.metric())).append(")\n\n");
    }

    private static String cell(final Cell cell)
    {
        if (null == cell || !cell.measured())
        {
            return Numbers.MISSING;
        }
        final String value = Numbers.plain(cell.value());
        return cell.runs().size() > 1 ? value + " (mean of " + cell.runs().size() + ")" : value;
    }

    private static void row(final StringBuilder md, final String... cells)
    {
        for (final String cell : cells)
        {
            md.append("| ").append(cell.replace("|", "\\|")).append(' ');
        }
        md.append("|\n");
    }
}
