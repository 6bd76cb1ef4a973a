package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packet path allocates nothing, measured on the real daemon with real DPDK traffic: a testpmd
 * macswap loop runs through two vhost-user ports of one VAN, and over a sustained window the PMD
 * thread's allocated-bytes counter does not move and no garbage collection runs.
 */
class PmdAllocationIT
{
    private static final long WINDOW_MS = 8_000;

    @TempDir
    Path dir;

    @Test
    void forwardingAllocatesNothingAndCollectsNoGarbage()
    {
        Environment.require(true, 600);
        try (Daemon daemon = new Daemon(dir, "it-alloc").start())
        {
            daemon.vanctl("van", "add", "1");
            daemon.vanctl("port", "add", "vm0", "--van", "1", "--vhost-user", dir.resolve("vm0.sock").toString());
            daemon.vanctl("port", "add", "vm1", "--van", "1", "--vhost-user", dir.resolve("vm1.sock").toString());
            try (Testpmd loop = Testpmd.start(dir, "it-alloc-gen", "macswap", List.of(
                "path=" + dir.resolve("vm0.sock") + ",queues=1", "path=" + dir.resolve("vm1.sock") + ",queues=1"),
                "--port-topology=loop"))
            {
                Await.until("both links up", 30_000,
                    () -> "up".equals(daemon.port("vm0").get("link")) && "up".equals(daemon.port("vm1").get("link")));
                loop.command("start tx_first 8");
                // warm-up: JIT compilation of the whole path, learning done. 1M frames take 0.1 s; until
                // the JIT's last tier is installed the PMD runs code without escape analysis, which
                // allocates (a fresh CI machine once caught 130 KB of that in the window). So the
                // window opens once the PMD's allocation counter has stood still for 2 s; a packet
                // path that allocates as it forwards never gets there and fails here.
                Await.until("1M frames forwarded", 60_000, () -> daemon.stat("pmd", "index", "0", "rx_packets") > 1_000_000);
                final long[] lastAllocated = {-1};
                Await.until("the PMD's allocation counter standing still for 2 s (JIT settled)", 60_000, () ->
                {
                    final long allocated = daemon.stat("pmd", "index", "0", "allocated_bytes");
                    final boolean settled = allocated == lastAllocated[0];
                    lastAllocated[0] = allocated;
                    if (!settled)
                    {
                        Daemon.pause(2_000);
                    }
                    return settled;
                });

                final long allocatedBefore = daemon.stat("pmd", "index", "0", "allocated_bytes");
                final long gcBefore = daemon.stat("jvm", "kind", "jvm", "gc_count");
                final long packetsBefore = daemon.stat("pmd", "index", "0", "rx_packets");
                Daemon.pause(WINDOW_MS); // a sustained window of forwarding, not synchronisation
                final long allocatedAfter = daemon.stat("pmd", "index", "0", "allocated_bytes");
                final long gcAfter = daemon.stat("jvm", "kind", "jvm", "gc_count");
                final long packets = daemon.stat("pmd", "index", "0", "rx_packets") - packetsBefore;

                System.out.println("ALLOCATION: " + packets + " frames in " + WINDOW_MS + " ms, PMD allocated " +
                    (allocatedAfter - allocatedBefore) + " bytes, " + (gcAfter - gcBefore) + " GCs");
                assertTrue(allocatedBefore >= 0, "allocation counter available");
                assertTrue(packets > 100_000, "traffic flowed in the window: " + packets);
                assertEquals(allocatedBefore, allocatedAfter, "the PMD thread allocated while forwarding " + packets + " frames");
                assertEquals(gcBefore, gcAfter, "a garbage collection ran while forwarding");
            }
        }
    }
}
