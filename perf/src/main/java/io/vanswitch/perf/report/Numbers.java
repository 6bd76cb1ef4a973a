package io.vanswitch.perf.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How numbers are written in the report: values as the scenario printed them, ratios with two decimals, chart
 * labels short. Never in the default locale: a report must read the same on every machine.
 */
public final class Numbers
{
    public static final String MISSING = "-";

    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_EVEN);
    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

    private Numbers()
    {
    }

    public static String plain(final BigDecimal value)
    {
        return null == value ? MISSING : value.toPlainString();
    }

    public static String ratio(final double ratio)
    {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio))
        {
            return MISSING;
        }
        // two decimals, except that a tiny ratio keeps two significant digits instead of reading 0.00
        return Math.abs(ratio) >= 0.1 || ratio == 0 ?
            String.format(Locale.ROOT, "%.2f", ratio) :
            new BigDecimal(ratio).round(new MathContext(2, RoundingMode.HALF_EVEN)).toPlainString();
    }

    /** A value on a chart: three significant digits, whole numbers from 1000 up. */
    public static String label(final BigDecimal value)
    {
        if (value.abs().compareTo(BigDecimal.valueOf(1000)) >= 0)
        {
            return value.setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        }
        return value.round(THREE_DIGITS).toPlainString();
    }

    /** A JSON number for a measured value: every BigDecimal's text is one; the plain form unless it is huge. */
    public static String json(final BigDecimal value)
    {
        final String plain = value.toPlainString();
        return plain.length() <= 32 ? plain : value.toString();
    }

    /** A JSON number for a ratio, to four significant digits; null when undefined (JSON has no NaN). */
    public static String jsonRatio(final double ratio)
    {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio))
        {
            return "null";
        }
        return json(new BigDecimal(ratio).round(FOUR_DIGITS).stripTrailingZeros());
    }
}
