package io.vanswitch.control.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the integration tests need from the machine: root, free hugepages, dpdk-testpmd, iproute2.
 * Under CI=true a missing resource fails the run; elsewhere the test is skipped with a loud message.
 */
public final class Environment
{
    private Environment()
    {
    }

    public static Path home()
    {
        final String configured = System.getProperty("vanswitch.home");
        if (null != configured)
        {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (null != dir && !Files.exists(dir.resolve("vanswitch")))
        {
            dir = dir.getParent();
        }
        return null == dir ? Path.of("..").toAbsolutePath().normalize() : dir;
    }

    public static void require(final boolean needTestpmd, final int hugepageMb)
    {
        final List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name")))
        {
            missing.add("root (user is " + System.getProperty("user.name") + ")");
        }
        if (freeHugepageMb() < hugepageMb)
        {
            missing.add(hugepageMb + " MB of free hugepages (have " + freeHugepageMb() + " MB; run hugepage-setup/hugepages.sh)");
        }
        if (needTestpmd && !Files.isExecutable(Path.of("/usr/bin/dpdk-testpmd")))
        {
            missing.add("dpdk-testpmd (apt-get install dpdk-dev)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip")) && !Files.isExecutable(Path.of("/usr/bin/ip")))
        {
            missing.add("ip (apt-get install iproute2)");
        }
        unlessMissing(missing);
    }

    /** Requires an executable (say /usr/bin/iperf3) besides what {@link #require} checks; hint: how to install it. */
    public static void requireExecutable(final String path, final String hint)
    {
        unlessMissing(Files.isExecutable(Path.of(path)) ? List.of() : List.of(path + " (" + hint + ")"));
    }

    private static void unlessMissing(final List<String> missing)
    {
        if (missing.isEmpty())
        {
            return;
        }
        final String message = "integration test needs " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI")))
        {
            Assertions.fail(message + " (CI=true: missing resources fail the run)");
        }
        System.err.println("!!!!! SKIPPED: " + message + " !!!!!");
        Assumptions.abort(message);
    }

    static long freeHugepageMb()
    {
        try
        {
            long free = 0;
            long sizeKb = 0;
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
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
            return free * sizeKb / 1024;
        }
        catch (final IOException | NumberFormatException ex)
        {
            return 0;
        }
    }
}
