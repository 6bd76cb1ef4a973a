package io.vanswitch.perf;

import io.vanswitch.control.it.Environment;
import io.vanswitch.control.it.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the packet-rate scenarios of the harness from rotting: each runs end to end in --quick mode and
 * records its rates. It asserts no speed (that is the harness's job, not a test's), only that every
 * switch of the scenario carried traffic at every frame size of the quick run.
 */
class PerfHarnessIT
{
    @TempDir
    Path dir;

    @Test
    void localLoopQuickRunRecordsEverySwitchAndFrameSize() throws IOException
    {
        Environment.require(true, 600);
        run("perf/local-loop.sh");
        assertCarried("local", "testpmd-io", "vanswitch");
    }

    @Test
    void overlayRateQuickRunRecordsEncapAndDecap() throws IOException
    {
        Environment.require(true, 600);
        run("perf/overlay-rate.sh");
        assertCarried("encap", "testpmd-io", "vanswitch");
        assertCarried("decap", "testpmd-io", "vanswitch");
    }

    @Test
    void hostToHostQuickRunCrossesTheMemifUnderlay() throws IOException
    {
        Environment.require(true, 600);
        run("perf/host-to-host.sh");
        assertCarried("host-to-host", "testpmd-io", "vanswitch");
    }

    private void run(final String script)
    {
        final Shell.Result result = Shell.bash("cd '" + Environment.home() + "' && RESULTS='" + dir + "' bash " + script + " --quick 2>&1");
        assertEquals(0, result.exitCode(), result.output());
    }

    /** Every named switch has a positive packet rate in the scenario for 64-byte frames and IMIX. */
    static void assertCarried(final Path results, final String scenario, final String... switches) throws IOException
    {
        final List<String> lines = Files.readAllLines(results.resolve("results.tsv"));
        for (final String name : switches)
        {
            for (final String frame : new String[]{ "64", "imix" })
            {
                final boolean carried = lines.stream()
                    .map(line -> line.split("\t", -1))
                    .anyMatch(f -> f.length >= 5 && f[0].equals(scenario) && f[1].equals(name) && f[2].equals(frame) &&
                        f[3].equals("mpps") && Double.parseDouble(f[4]) > 0);
                assertTrue(carried, name + " carried " + frame + "-byte frames in " + scenario + ":\n" + String.join("\n", lines));
            }
        }
    }

    private void assertCarried(final String scenario, final String... switches) throws IOException
    {
        assertCarried(dir, scenario, switches);
    }
}
