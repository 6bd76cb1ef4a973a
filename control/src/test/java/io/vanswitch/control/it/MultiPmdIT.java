package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two PMD threads: the two ports of a VAN are polled by different PMDs, each sending on its own tx
 * queue of the other's port, and each learning what the other saw (through the control thread).
 */
class MultiPmdIT
{
    @TempDir
    Path dir;

    @Test
    void portsOnDifferentPmdsSwitchAndShareLearning()
    {
        Environment.require(false, 300);
        try (Netns ns1 = new Netns("vsit-mp1");
            Netns ns2 = new Netns("vsit-mp2");
            Daemon daemon = new Daemon(dir, "it-multipmd", "--cores", "0,1").start())
        {
            daemon.vanctl("van", "add", "1");
            daemon.vanctl("port", "add", "m1", "--van", "1", "--tap", "vsmp1");
            daemon.vanctl("port", "add", "m2", "--van", "1", "--tap", "vsmp2");
            assertNotEquals(daemon.port("m1").get("pmd"), daemon.port("m2").get("pmd"), "ports spread over both PMDs");
            ns1.adopt("vsmp1", "10.56.0.1/24", "52:54:00:00:bb:01");
            ns2.adopt("vsmp2", "10.56.0.2/24", "52:54:00:00:bb:02");

            final Shell.Result ping = ns1.ping("10.56.0.2", 10);
            assertEquals(0, ping.exitCode(), ping.output() + "\n" + daemon.logText());
            assertTrue(daemon.stat("pmd", "index", "0", "rx_packets") > 0);
            assertTrue(daemon.stat("pmd", "index", "1", "rx_packets") > 0);
            // both directions learned and forwarded as unicast, not flooded to the end
            final long flooded = daemon.stat("van", "id", "1", "flooded");
            assertEquals(0, ns1.ping("10.56.0.2", 5).exitCode());
            assertEquals(flooded, daemon.stat("van", "id", "1", "flooded"), "no flooding once both PMDs know both MACs");
        }
    }
}
