package io.vanswitch.perf.report;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NumbersTest
{
    @Test
    void ratiosHaveTwoDecimalsAndADashWhenUndefined()
    {
        assertEquals("1.26", Numbers.ratio(1.2593));
        assertEquals("0.50", Numbers.ratio(0.5));
        assertEquals("0.0012", Numbers.ratio(0.00123));
        assertEquals("-", Numbers.ratio(Double.NaN));
        assertEquals("1.259", Numbers.jsonRatio(1.2593));
        assertEquals("2", Numbers.jsonRatio(2.0));
        assertEquals("null", Numbers.jsonRatio(Double.NaN));
    }

    @Test
    void chartLabelsAreShortAndValuesStayAsPrinted()
    {
        assertEquals("7.47", Numbers.label(new BigDecimal("7.4733")));
        assertEquals("12.0", Numbers.label(new BigDecimal("12.04")));
        assertEquals("64", Numbers.label(new BigDecimal("64")));
        assertEquals("12346", Numbers.label(new BigDecimal("12345.6")));
        assertEquals("0.00123", Numbers.label(new BigDecimal("0.0012345")));
        assertEquals("7.470", Numbers.plain(new BigDecimal("7.470")));
        assertEquals("1000000", Numbers.json(new BigDecimal("1e6")));
        assertEquals("0.5", Numbers.json(new BigDecimal(".5")));
    }
}
