package io.vanswitch.perf.report;

import java.util.List;

/**
 * A note a switch's measurements carried, once however many lines repeated it (every metric, every x).
 *
 * @param xs the x values whose lines carried it, in order.
 */
public record Note(String switchName, List<String> xs, String text)
{
}
