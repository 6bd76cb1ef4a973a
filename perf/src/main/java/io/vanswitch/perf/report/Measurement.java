package io.vanswitch.perf.report;

import java.math.BigDecimal;

/**
 * One line of results.tsv: the value of one metric for one switch at one point {@code x} of a scenario's sweep.
 *
 * @param value null when the line records a switch that was not measured (an empty value or "-"); its note says why.
 * @param note  free text, empty when there is none.
 */
public record Measurement(String scenario, String switchName, String x, String metric, BigDecimal value, String note)
{
}
