package io.vanswitch.perf.report;

/**
 * What a metric's name says (perf/lib.sh: names carry their unit as a suffix): whether less is better, and the
 * axis label a reader expects ({@code tcp_gbps} is "TCP throughput (Gbit/s)", {@code p99_us} "p99 latency (µs)").
 */
public final class MetricUnits
{
    /**
     * Suffix, label without a prefix, the quantity a prefix is completed with, and the unit in parentheses.
     * Longer suffixes first: {@code ns_op} before {@code ns}.
     */
    private static final String[][] UNITS =
        {
            { "ns_op", "Time per operation (ns)", "time per operation", "ns" },
            { "mpps", "Mpps", "rate", "Mpps" },
            { "kpps", "kpps", "rate", "kpps" },
            { "pps", "packets/s", "rate", "packets/s" },
            { "gbps", "Throughput (Gbit/s)", "throughput", "Gbit/s" },
            { "mbps", "Throughput (Mbit/s)", "throughput", "Mbit/s" },
            { "s", "Time (s)", "time", "s" },
            { "ms", "Latency (ms)", "latency", "ms" },
            { "us", "Latency (µs)", "latency", "µs" },
            { "ns", "Latency (ns)", "latency", "ns" },
            { "pct", "%", "", "%" },
            { "percent", "%", "", "%" },
        };

    /** Words that already name the quantity, so that "rtt_avg_ms" does not become "average RTT latency". */
    private static final String[] QUANTITY_WORDS = { "RTT", "latency", "throughput", "rate", "time", "bandwidth", "delay", "duration",
        "downtime" };
    private static final String[] STATISTICS = { "average", "minimum", "maximum", "deviation", "median" };

    private MetricUnits()
    {
    }

    /** Times (_s, _ms, _us, _ns, ns_op) are lower-is-better; rates, throughputs and anything unknown higher-is-better. */
    public static boolean lowerIsBetter(final String metric)
    {
        return metric.endsWith("_us") || metric.endsWith("_ms") || metric.endsWith("_ns") || metric.endsWith("ns_op") ||
            metric.endsWith("_s");
    }

    public static String better(final String metric)
    {
        return lowerIsBetter(metric) ? "lower" : "higher";
    }

    public static String label(final String metric)
    {
        for (final String[] unit : UNITS)
        {
            if (metric.equals(unit[0]))
            {
                return unit[1];
            }
            if (metric.endsWith("_" + unit[0]))
            {
                return describe(metric.substring(0, metric.length() - unit[0].length() - 1), unit[2]) + " (" + unit[3] + ")";
            }
        }
        return capitalise(metric.replace('_', ' '));
    }

    private static String describe(final String prefix, final String quantity)
    {
        final String[] words = prefix.split("_");
        boolean named = quantity.isEmpty();
        for (int i = 0; i < words.length; i++)
        {
            words[i] = word(words[i]);
            for (final String q : QUANTITY_WORDS)
            {
                named |= words[i].equalsIgnoreCase(q);
            }
        }
        // "rtt avg" reads as "average RTT"
        if (words.length > 1 && contains(STATISTICS, words[words.length - 1]))
        {
            final String last = words[words.length - 1];
            System.arraycopy(words, 0, words, 1, words.length - 1);
            words[0] = last;
        }
        final String text = String.join(" ", words) + (named ? "" : " " + quantity);
        return text.matches("p[0-9].*") ? text : capitalise(text);
    }

    private static String word(final String word)
    {
        return switch (word)
        {
            case "tcp", "udp", "rtt", "cpu", "vm", "tx", "rx" -> word.toUpperCase();
            case "avg", "mean" -> "average";
            case "min" -> "minimum";
            case "max" -> "maximum";
            case "mdev", "stddev" -> "deviation";
            default -> word.matches("p9{3,}") ? "p99." + word.substring(3) : word;
        };
    }

    private static boolean contains(final String[] words, final String word)
    {
        for (final String w : words)
        {
            if (w.equals(word))
            {
                return true;
            }
        }
        return false;
    }

    private static String capitalise(final String s)
    {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
