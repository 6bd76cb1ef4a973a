package io.vanswitch.perf.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What results.tsv holds for one switch at one x of one metric. A scenario run more than once into the same
 * directory records a cell more than once: its value is then the mean, and the runs are kept to be shown.
 *
 * @param value null when the switch was recorded but not measured (see the scenario's notes).
 * @param runs  the measured values in file order.
 */
public record Cell(BigDecimal value, List<BigDecimal> runs)
{
    public static Cell of(final List<BigDecimal> runs)
    {
        if (runs.isEmpty())
        {
            return new Cell(null, List.of());
        }
        if (runs.size() == 1)
        {
            return new Cell(runs.getFirst(), List.copyOf(runs));
        }
        BigDecimal sum = BigDecimal.ZERO;
        int scale = 0;
        for (final BigDecimal run : runs)
        {
            sum = sum.add(run);
            scale = Math.max(scale, run.scale());
        }
        // one digit more than the scenario printed: the mean of 20 and 21 is 20.5, but 7.473 is not 7.4733...
        return new Cell(sum.divide(BigDecimal.valueOf(runs.size()), scale + 1, RoundingMode.HALF_EVEN), List.copyOf(runs));
    }

    public boolean measured()
    {
        return null != value;
    }
}
