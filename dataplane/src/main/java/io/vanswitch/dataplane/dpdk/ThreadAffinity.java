package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.DpdkShim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps the JVM's own threads (JIT compilers, GC, the control thread) off the PMD cores, as OVS does
 * with its non-PMD lcore mask: every thread that exists now is restricted to the housekeeping CPUs,
 * and threads created later inherit that mask from their creators. PMD threads then pin themselves.
 */
public final class ThreadAffinity
{
    private ThreadAffinity()
    {
    }

    /**
     * @return how many threads could not be moved (0 when all were).
     */
    public static int confineProcessTo(final List<Integer> cpus)
    {
        long mask = 0;
        for (final int cpu : cpus)
        {
            if (cpu < 0 || cpu > 63)
            {
                throw new IllegalArgumentException("CPU " + cpu + " out of range 0..63");
            }
            mask |= 1L << cpu;
        }
        int failed = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks.toList())
            {
                if (DpdkShim.setThreadAffinity(Integer.parseInt(task.getFileName().toString()), mask) != 0)
                {
                    failed++;
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
        return failed;
    }
}
