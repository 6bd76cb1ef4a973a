package io.vanswitch.perf;

import io.vanswitch.control.it.Environment;
import io.vanswitch.control.it.Shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the performance harness from rotting: {@code perf/local-loop.sh --quick} runs end to end and
 * writes its report. It asserts no speed (that is the harness's job, not a test's), only that
 * vanswitch carried traffic.
 */
class PerfHarnessIT
{
    @TempDir
    Path dir;

    @Test
    void localLoopQuickRunWritesAReport() throws IOException
    {
        Environment.require(true, 600);
        final Shell.Result result = Shell.bash("cd '" + Environment.home() + "' && RESULTS='" + dir + "' QUICK_DUR=2 bash perf/local-loop.sh --quick 2>&1");
        assertEquals(0, result.exitCode(), result.output());
        final String report = Files.readString(dir.resolve("report.md"));
        final Matcher vanswitch = Pattern.compile("\\| vanswitch \\| ([0-9.]+) \\|").matcher(report);
        assertTrue(vanswitch.find(), report);
        assertTrue(Double.parseDouble(vanswitch.group(1)) > 0, "vanswitch forwarded frames:\n" + report);
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"vanswitch\":"), "JSON report");
    }

    @Test
    void overlayRateQuickRunWritesAReport() throws IOException
    {
        Environment.require(true, 600);
        final Path results = dir.resolve("overlay");
        final Shell.Result result = Shell.bash("cd '" + Environment.home() + "' && RESULTS='" + results + "' QUICK_DUR=2 bash perf/overlay-rate.sh --quick 2>&1");
        assertEquals(0, result.exitCode(), result.output());
        final String report = Files.readString(results.resolve("report.md"));
        for (final String scenario : new String[]{ "encap", "decap" })
        {
            final Matcher row = Pattern.compile("\\| " + scenario + " \\| ([0-9.]+) \\|").matcher(report);
            assertTrue(row.find(), scenario + " measured:\n" + report);
            assertTrue(Double.parseDouble(row.group(1)) > 0, "vanswitch " + scenario + " carried traffic:\n" + report);
        }
    }
}
