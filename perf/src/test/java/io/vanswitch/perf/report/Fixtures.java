package io.vanswitch.perf.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Results directories for the tests, written as the scenarios write them (TAB-separated lines).
 */
final class Fixtures
{
    /** Two scenarios: frame sizes with a reference, a variant and a note; latency (lower is better) with a gap. */
    static final String RESULTS = """
        local-loop\tovs\t64\tmpps\t6.00\tprocessing cycles 80%
        local-loop\tvanswitch\t64\tmpps\t7.50\t
        local-loop\tvanswitch-encrypted\t64\tmpps\t3.0\t
        local-loop\tovs\timix\tmpps\t4.00\tprocessing cycles 80%
        local-loop\tvanswitch\timix\tmpps\t2.00\t
        latency\tvanswitch\t50%\tp99_us\t20\t
        latency\tkernel\t50%\tp99_us\t40\t
        latency\tkernel\t90%\tp99_us\t\tnot measured: "timeout"
        latency\tvanswitch\t90%\tp99_us\t30\t
        """;
    static final String SCENARIOS = """
        local-loop\tLocal switching\tframe size (bytes)\t1\ttestpmd macswap loop
        """;
    static final String MACHINE = """
        date\t2026-11-27T10:00:00Z
        cpus\t2
        """;

    private Fixtures()
    {
    }

    static Path write(final Path dir, final String results, final String scenarios, final String machine)
    {
        try
        {
            Files.createDirectories(dir);
            if (null != results)
            {
                Files.writeString(dir.resolve(ReportFiles.RESULTS), results, StandardCharsets.UTF_8);
            }
            if (null != scenarios)
            {
                Files.writeString(dir.resolve(ReportFiles.SCENARIOS), scenarios, StandardCharsets.UTF_8);
            }
            if (null != machine)
            {
                Files.writeString(dir.resolve(ReportFiles.MACHINE), machine, StandardCharsets.UTF_8);
            }
            return dir;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Path standard(final Path dir)
    {
        return write(dir, RESULTS, SCENARIOS, MACHINE);
    }

    static Report report(final Path dir)
    {
        return ReportBuilder.build(ResultsParser.parse(dir), "fallback-date");
    }
}
