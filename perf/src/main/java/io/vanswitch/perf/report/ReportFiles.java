package io.vanswitch.perf.report;

/**
 * The names of the files in a results directory: the ones the scenarios append to (perf/lib.sh) and the ones the
 * report writer writes.
 */
public final class ReportFiles
{
    public static final String RESULTS = "results.tsv";
    public static final String SCENARIOS = "scenarios.tsv";
    public static final String MACHINE = "machine.tsv";
    public static final String REPORT_MD = "report.md";
    public static final String REPORT_JSON = "report.json";
    public static final String CHARTS = "charts";

    private ReportFiles()
    {
    }

    /**
     * The chart of one metric of one scenario, relative to the results directory. Names come from the scenario
     * scripts, so anything that is not safe in a file name (and in a Markdown link) is replaced.
     */
    public static String chart(final String scenario, final String metric)
    {
        return CHARTS + "/" + safe(scenario) + "-" + safe(metric) + ".png";
    }

    static String safe(final String name)
    {
        final StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.';
            sb.append(ok ? c : '_');
        }
        return sb.isEmpty() || sb.charAt(0) == '.' ? "_" + sb : sb.toString();
    }
}
