package io.vanswitch.perf.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A value axis from 0 with round ticks (steps of 1, 2, 2.5 or 5 times a power of ten), so that a reader can read
 * a bar's height off the grid. Tick labels are computed in decimal, not binary: 0.3 is "0.3", not
 * "0.30000000000000004".
 */
public final class NiceScale
{
    private static final double[] FRACTIONS = { 1, 2, 2.5, 5, 10 };

    private final BigDecimal step;
    private final int steps;

    private NiceScale(final BigDecimal step, final int steps)
    {
        this.step = step;
        this.steps = steps;
    }

    /**
     * @param max         the largest value to show (0 or less, or not a number: an axis 0..1).
     * @param targetTicks about how many steps the axis should have.
     */
    public static NiceScale of(final double max, final int targetTicks)
    {
        final double top = max > 0 && Double.isFinite(max) ? max : 1;
        final double rough = top / Math.max(1, targetTicks);
        final int exponent = (int)Math.floor(Math.log10(rough));
        final double fraction = rough / Math.pow(10, exponent);
        // the round step nearest the rough one (by ratio), so that the axis gets about the ticks asked for
        double nice = FRACTIONS[0];
        for (final double f : FRACTIONS)
        {
            if (Math.abs(Math.log(fraction / f)) < Math.abs(Math.log(fraction / nice)))
            {
                nice = f;
            }
        }
        final BigDecimal step = BigDecimal.valueOf(nice).scaleByPowerOfTen(exponent).stripTrailingZeros();
        final int steps = Math.max(1, (int)Math.ceil(top / step.doubleValue() - 1e-9));
        return new NiceScale(step, steps);
    }

    /** The top of the axis, a whole number of steps at or above the largest value. */
    public double top()
    {
        return step.doubleValue() * steps;
    }

    public List<Double> ticks()
    {
        final List<Double> ticks = new ArrayList<>();
        for (int i = 0; i <= steps; i++)
        {
            ticks.add(step.multiply(BigDecimal.valueOf(i)).doubleValue());
        }
        return ticks;
    }

    public List<String> labels()
    {
        final List<String> labels = new ArrayList<>();
        for (int i = 0; i <= steps; i++)
        {
            final BigDecimal tick = step.multiply(BigDecimal.valueOf(i));
            labels.add(tick.signum() == 0 ? "0" : tick.stripTrailingZeros().toPlainString());
        }
        return labels;
    }
}
