package io.vanswitch.perf.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void headless()
    {
        System.setProperty("java.awt.headless", "true");
    }

    private int run(final String... args)
    {
        return ReportWriter.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheMarkdownTheJsonAndTheCharts() throws IOException
    {
        Fixtures.write(dir, Fixtures.RESULTS + "bad line\n", Fixtures.SCENARIOS, Fixtures.MACHINE);
        assertEquals(0, run(dir.toString()), err());
        assertEquals("perf-report: " + dir.resolve("report.md") + ", report.json and 2 charts (2 scenarios); " +
            "1 malformed line skipped, listed in the report\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(dir.resolve("report.md")).contains("**1 malformed line skipped**"));
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"malformed_lines\": 1,"));
        assertNotNull(ImageIO.read(dir.resolve("charts/local-loop-mpps.png").toFile()));
        assertNotNull(ImageIO.read(dir.resolve("charts/latency-p99_us.png").toFile()));
    }

    @Test
    void aMissingResultsFileIsOneLineAndExitCode2()
    {
        assertEquals(2, run(dir.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("perf-report: no " + dir.resolve("results.tsv")), err());
        assertFalse(Files.exists(dir.resolve("report.md")));
    }

    @Test
    void anEmptyResultsFileIsOneLineAndExitCode2()
    {
        Fixtures.write(dir, "", null, null);
        assertEquals(2, run(dir.toString()));
        assertEquals("perf-report: " + dir.resolve("results.tsv") + " is empty: no scenario recorded a measurement\n", err());
    }

    @Test
    void aMissingDirectoryOrNoArgumentIsExitCode2()
    {
        assertEquals(2, run(dir.resolve("nowhere").toString()));
        assertEquals("perf-report: no results directory " + dir.resolve("nowhere") + "\n", err());
        err.reset();
        assertEquals(2, run());
        assertEquals(1, err().lines().count(), err());
    }
}
