package io.vanswitch.dataplane.dpdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks before EAL init that enough hugepages are reserved and hugetlbfs is mounted, so a missing
 * reservation is one clear message naming the fix, not an EAL failure deep in a log.
 */
public final class Hugepages
{
    public static final String SETUP_SCRIPT = "hugepage-setup/hugepages.sh";

    private Hugepages()
    {
    }

    /**
     * @return null when {@code neededMb} megabytes of free hugepages are available, else what is wrong.
     */
    public static String problem(final int neededMb)
    {
        final List<String> meminfo;
        final List<String> mounts;
        try
        {
            meminfo = Files.readAllLines(Path.of("/proc/meminfo"));
            mounts = Files.readAllLines(Path.of("/proc/mounts"));
        }
        catch (final IOException ex)
        {
            return "cannot read /proc/meminfo or /proc/mounts: " + ex.getMessage();
        }
        long free = 0;
        long sizeKb = 0;
        for (final String line : meminfo)
        {
            if (line.startsWith("HugePages_Free:"))
            {
                free = Long.parseLong(line.replaceAll("\\D+", ""));
            }
            else if (line.startsWith("Hugepagesize:"))
            {
                sizeKb = Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        final boolean mounted = mounts.stream().anyMatch(l -> l.split(" ").length > 2 && l.split(" ")[2].equals("hugetlbfs"));
        final long freeMb = free * sizeKb / 1024;
        if (!mounted)
        {
            return "hugetlbfs is not mounted: run " + SETUP_SCRIPT + " (as root)";
        }
        if (freeMb < neededMb)
        {
            return "not enough free hugepages: " + freeMb + " MB free, " + neededMb + " MB needed (--mem): run " +
                SETUP_SCRIPT + " " + Math.max(512, (neededMb * 1024L / Math.max(1, sizeKb)) + 64) + " (as root), or lower --mem";
        }
        return null;
    }
}
