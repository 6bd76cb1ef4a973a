package io.vanswitch.perf.report;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code perf_report DIR} (perf/lib.sh): turns the results files of one harness run into report.md, report.json
 * and charts/*.png in the same directory. Errors are one line on stderr: exit 2 when the results cannot make a
 * report (missing, empty), 1 when writing it failed.
 */
@Command(name = "perf-report", mixinStandardHelpOptions = true, version = "perf-report 0.1",
    description = "Write report.md, report.json and charts/*.png from the results.tsv, scenarios.tsv and machine.tsv " +
        "of a results directory.")
public final class ReportWriter implements Callable<Integer>
{
    @Parameters(paramLabel = "DIR", description = "The results directory (RESULTS of the perf scenarios).")
    Path dir;

    private PrintStream out;

    public static void main(final String[] args)
    {
        // before anything touches AWT: the charts are drawn on machines without a display
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final ReportWriter writer = new ReportWriter();
        writer.out = out;
        final CommandLine commandLine = new CommandLine(writer);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((ex, a) ->
        {
            err.println("perf-report: " + ex.getMessage().replace('\n', ' ').strip() + " (see 'perf-report --help')");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((ex, cl, parsed) ->
        {
            if (ex instanceof ReportException)
            {
                err.println("perf-report: " + ex.getMessage());
                return 2;
            }
            err.println("perf-report: cannot write the report in " + writer.dir + ": " + String.valueOf(ex).replace('\n', ' '));
            return 1;
        });
        return commandLine.execute(args);
    }

    public Integer call() throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            throw new ReportException("no results directory " + dir);
        }
        final ParsedResults results = ResultsParser.parse(dir);
        final Report report = ReportBuilder.build(results, fallbackDate(dir));
        Files.writeString(dir.resolve(ReportFiles.REPORT_MD), MarkdownWriter.write(report), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(ReportFiles.REPORT_JSON), JsonWriter.write(report), StandardCharsets.UTF_8);
        final List<Path> charts = ChartRenderer.writeAll(report, dir);
        out.println("perf-report: " + dir.resolve(ReportFiles.REPORT_MD) + ", " + ReportFiles.REPORT_JSON + " and " +
            charts.size() + " chart" + (charts.size() == 1 ? "" : "s") + " (" + report.scenarios().size() + " scenario" +
            (report.scenarios().size() == 1 ? "" : "s") + ")" +
            (report.malformed().isEmpty() ? "" : "; " + report.malformed().size() + " malformed line" +
                (report.malformed().size() == 1 ? "" : "s") + " skipped, listed in the report"));
        return 0;
    }

    /** When machine.tsv has no date: when results.tsv was last written, in UTC to the second. */
    private static String fallbackDate(final Path dir) throws IOException
    {
        try
        {
            return DateTimeFormatter.ISO_INSTANT.format(
                Files.getLastModifiedTime(dir.resolve(ReportFiles.RESULTS)).toInstant().truncatedTo(ChronoUnit.SECONDS));
        }
        catch (final NoSuchFileException ex)
        {
            return "unknown date";
        }
    }
}
