package io.vanswitch.perf.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the TAB-separated files of a results directory (perf/lib.sh: perf_record, perf_scenario; machine.tsv is
 * {@code key <TAB> value}). A line that does not fit is skipped and remembered, not fatal: one bad line from a
 * scenario must not cost the report of a whole run. Blank lines, {@code #} comments and a header line are ignored.
 */
public final class ResultsParser
{
    /** Plain decimals as a shell script prints them; no NaN, Infinity or hexadecimal, which Double would take. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,4})?");

    private final List<MalformedLine> malformed = new ArrayList<>();

    private ResultsParser()
    {
    }

    /**
     * @throws ReportException when results.tsv is missing, unreadable or holds no measurement.
     */
    public static ParsedResults parse(final Path dir)
    {
        final ResultsParser parser = new ResultsParser();
        final List<Measurement> measurements = parser.measurements(dir.resolve(ReportFiles.RESULTS));
        final Map<String, ScenarioInfo> scenarios = parser.scenarios(dir.resolve(ReportFiles.SCENARIOS));
        final Map<String, String> machine = parser.machine(dir.resolve(ReportFiles.MACHINE));
        if (measurements.isEmpty())
        {
            final int bad = parser.malformed.size();
            throw new ReportException(dir.resolve(ReportFiles.RESULTS) + " holds no measurement" +
                (bad > 0 ? " (" + bad + " malformed line" + (bad == 1 ? "" : "s") + ", first: " + parser.malformed.getFirst() + ")" : "") +
                ": did the scenarios run with RESULTS=" + dir + "?");
        }
        return new ParsedResults(machine, scenarios, measurements, List.copyOf(parser.malformed));
    }

    private List<Measurement> measurements(final Path file)
    {
        final List<String> lines = read(file, true);
        final List<Measurement> measurements = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String[] f = lines.get(i).split("\t", -1);
            if (skipped(lines.get(i)) || (f.length >= 4 && "scenario".equals(f[0]) && "metric".equals(f[3])))
            {
                continue;
            }
            if (f.length < 5)
            {
                bad(file, i, fields(f.length) + ", expected 6: scenario, switch, x, metric, value, note (may be empty)");
                continue;
            }
            final String scenario = f[0].strip();
            final String switchName = f[1].strip();
            final String x = f[2].strip();
            final String metric = f[3].strip();
            final String value = f[4].strip();
            if (scenario.isEmpty() || switchName.isEmpty() || x.isEmpty() || metric.isEmpty())
            {
                bad(file, i, "empty scenario, switch, x or metric");
                continue;
            }
            final boolean notMeasured = value.isEmpty() || "-".equals(value);
            if (!notMeasured && !DECIMAL.matcher(value).matches())
            {
                bad(file, i, "value '" + printable(value) + "' is not a decimal number");
                continue;
            }
            measurements.add(new Measurement(scenario, switchName, x, metric, notMeasured ? null : new BigDecimal(value), rest(f, 5)));
        }
        return measurements;
    }

    private Map<String, ScenarioInfo> scenarios(final Path file)
    {
        final List<String> lines = read(file, false);
        final Map<String, ScenarioInfo> scenarios = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String[] f = lines.get(i).split("\t", -1);
            if (skipped(lines.get(i)) || (f.length >= 2 && "scenario".equals(f[0]) && "title".equals(f[1])))
            {
                continue;
            }
            if (f.length < 2 || f[0].isBlank())
            {
                bad(file, i, fields(f.length) + ", expected 5: scenario, title, x-axis label, cores, method");
                continue;
            }
            final String name = f[0].strip();
            final String title = f[1].isBlank() ? name : f[1].strip();
            scenarios.putIfAbsent(name, new ScenarioInfo(name, title, field(f, 2), field(f, 3), rest(f, 4)));
        }
        return scenarios;
    }

    private Map<String, String> machine(final Path file)
    {
        final List<String> lines = read(file, false);
        final Map<String, String> machine = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String[] f = lines.get(i).split("\t", -1);
            if (skipped(lines.get(i)) || (f.length == 2 && "key".equals(f[0]) && "value".equals(f[1])))
            {
                continue;
            }
            if (f.length < 2 || f[0].isBlank())
            {
                bad(file, i, "expected key <TAB> value");
                continue;
            }
            machine.put(f[0].strip(), rest(f, 1));
        }
        return machine;
    }

    /**
     * @param required whether a missing file is an error; a missing scenarios.tsv or machine.tsv only makes the
     *                 report plainer.
     */
    private static List<String> read(final Path file, final boolean required)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            if (required)
            {
                throw new ReportException("no " + file + ": run the perf scenarios with RESULTS=" + file.getParent() + " first");
            }
            return List.of();
        }
        catch (final IOException ex)
        {
            throw new ReportException("cannot read " + file + ": " + ex);
        }
        // new String() replaces bytes that are not UTF-8 instead of throwing, as Files.readAllLines would
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF"))
        {
            text = text.substring(1);
        }
        final List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.getLast().isEmpty())
        {
            lines.removeLast();
        }
        lines.replaceAll(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        if (required && lines.stream().allMatch(ResultsParser::skipped))
        {
            throw new ReportException(file + " is empty: no scenario recorded a measurement");
        }
        return lines;
    }

    private static boolean skipped(final String line)
    {
        return line.isBlank() || line.startsWith("#");
    }

    private static String fields(final int count)
    {
        return count + (count == 1 ? " field" : " fields");
    }

    private static String field(final String[] f, final int index)
    {
        return index < f.length ? f[index].strip() : "";
    }

    /** The last field is free text: a TAB inside it (not escaped by perf_record) is kept as a space, not lost. */
    private static String rest(final String[] f, final int from)
    {
        return from < f.length ? String.join(" ", Arrays.copyOfRange(f, from, f.length)).strip() : "";
    }

    private void bad(final Path file, final int index, final String reason)
    {
        malformed.add(new MalformedLine(file.getFileName().toString(), index + 1, reason));
    }

    private static String printable(final String s)
    {
        final String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
