package io.vanswitch.perf.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One metric of one scenario as a table: rows are x values, columns switches, both in the order results.tsv first
 * named them; the ratios of vanswitch's value to each reference switch's; and the ratios of each variant of
 * vanswitch (a switch named vanswitch-SOMETHING: vanswitch doing more, such as sealing between proxies) to
 * vanswitch's value, the cost of what the variant adds.
 */
public final class MetricTable
{
    /** The switch the report is about: ratios are its value over each other switch's. */
    public static final String SUBJECT = "vanswitch";
    /** Variants of the subject are named with this prefix (vanswitch-proxies, ...). */
    public static final String VARIANT_PREFIX = SUBJECT + "-";

    private final String metric;
    private final List<String> xs;
    private final List<String> switches;
    private final List<String> references;
    private final List<String> variants;
    private final Cell[][] cells;

    MetricTable(final String metric, final List<String> xs, final List<String> switches, final Cell[][] cells)
    {
        this.metric = metric;
        this.xs = List.copyOf(xs);
        this.switches = List.copyOf(switches);
        this.cells = cells;
        final List<String> references = new ArrayList<>();
        final List<String> variants = new ArrayList<>();
        if (switches.contains(SUBJECT))
        {
            // variants of the subject (vanswitch-proxies, ...) are not references to compare it with
            for (final String name : switches)
            {
                if (name.startsWith(VARIANT_PREFIX))
                {
                    variants.add(name);
                }
                else if (!name.startsWith(SUBJECT))
                {
                    references.add(name);
                }
            }
        }
        this.references = List.copyOf(references);
        this.variants = List.copyOf(variants);
    }

    public String metric()
    {
        return metric;
    }

    public List<String> xs()
    {
        return xs;
    }

    public List<String> switches()
    {
        return switches;
    }

    /**
     * The switches vanswitch is compared with; empty when no switch is named exactly {@value #SUBJECT}.
     */
    public List<String> references()
    {
        return references;
    }

    /**
     * The variants of vanswitch in this table (switches named vanswitch-SOMETHING), each compared with vanswitch
     * by {@link #variantRatio(int, String)}; empty when no switch is named exactly {@value #SUBJECT}.
     */
    public List<String> variants()
    {
        return variants;
    }

    /**
     * @return null when nothing was recorded for this switch at this x.
     */
    public Cell cell(final int xIndex, final int switchIndex)
    {
        return cells[xIndex][switchIndex];
    }

    public Cell cell(final String x, final String switchName)
    {
        final int xIndex = xs.indexOf(x);
        final int switchIndex = switches.indexOf(switchName);
        return xIndex < 0 || switchIndex < 0 ? null : cells[xIndex][switchIndex];
    }

    /** Whether vanswitch has a value at this x: the summary lists ratios only where it has. */
    public boolean subjectMeasured(final int xIndex)
    {
        return null != value(xIndex, SUBJECT);
    }

    /**
     * vanswitch's value divided by the reference's, as measured: whether above 1 is good depends on the metric
     * ({@link MetricUnits#lowerIsBetter(String)}).
     *
     * @return NaN when either value is missing or the reference's is 0.
     */
    public double ratio(final int xIndex, final String reference)
    {
        final BigDecimal subject = value(xIndex, SUBJECT);
        final BigDecimal other = value(xIndex, reference);
        if (null == subject || null == other || other.signum() == 0)
        {
            return Double.NaN;
        }
        return subject.doubleValue() / other.doubleValue();
    }

    /**
     * The variant's value divided by vanswitch's (vanswitch-proxies / vanswitch: what sealing costs, below 1 when
     * higher is better).
     *
     * @return NaN when either value is missing or vanswitch's is 0.
     */
    public double variantRatio(final int xIndex, final String variant)
    {
        final BigDecimal subject = value(xIndex, SUBJECT);
        final BigDecimal other = value(xIndex, variant);
        if (null == subject || null == other || subject.signum() == 0)
        {
            return Double.NaN;
        }
        return other.doubleValue() / subject.doubleValue();
    }

    /** The largest measured value, 0 when there is none: the top of a chart's axis. */
    public double max()
    {
        double max = 0;
        for (final Cell[] row : cells)
        {
            for (final Cell cell : row)
            {
                if (null != cell && cell.measured())
                {
                    max = Math.max(max, cell.value().doubleValue());
                }
            }
        }
        return max;
    }

    private BigDecimal value(final int xIndex, final String switchName)
    {
        final int switchIndex = switches.indexOf(switchName);
        final Cell cell = switchIndex < 0 ? null : cells[xIndex][switchIndex];
        return null == cell ? null : cell.value();
    }
}
