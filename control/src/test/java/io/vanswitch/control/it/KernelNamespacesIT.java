package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel endpoints through TAP ports: ns1 and ns2 on VAN 1, ns3 on VAN 2 with the same IP and MAC
 * as ns2. ns1 pings ns2; ns3 never sees any of it; ping works again after the port is deleted and
 * re-added, and after the daemon restarts from its persisted configuration.
 */
class KernelNamespacesIT
{
    private static final String MAC_2 = "52:54:00:00:aa:02";

    @TempDir
    Path dir;

    @Test
    void pingInsideVanNeverAcrossAndSurvivesPortChurnAndRestart()
    {
        Environment.require(false, 300);
        try (Netns ns1 = new Netns("vsit-ns1");
            Netns ns2 = new Netns("vsit-ns2");
            Netns ns3 = new Netns("vsit-ns3");
            Daemon daemon = new Daemon(dir, "it-kernel").start())
        {
            daemon.vanctl("van", "add", "1");
            daemon.vanctl("van", "add", "2");
            daemon.vanctl("port", "add", "t1", "--van", "1", "--tap", "vsit1");
            daemon.vanctl("port", "add", "t2", "--van", "1", "--tap", "vsit2");
            daemon.vanctl("port", "add", "t3", "--van", "2", "--tap", "vsit3");
            attachAll(ns1, ns2, ns3);

            assertPingAndIsolation(daemon, ns1, ns3);

            // port churn: deleting t2 cuts ns2 off; re-adding it restores the ping
            daemon.vanctl("port", "del", "t2");
            assertEquals(0, ns1.ping("10.55.0.2", 2).output().contains(" 0% packet loss") ? 1 : 0, "ns2 unreachable without its port");
            daemon.vanctl("port", "add", "t2", "--van", "1", "--tap", "vsit2");
            ns2.adopt("vsit2", "10.55.0.2/24", MAC_2);
            assertPingAndIsolation(daemon, ns1, ns3);

            // restart: the configuration comes back from the state directory
            assertEquals(0, daemon.stop(), "SIGTERM exits 0");
            daemon.start();
            assertTrue(daemon.vanctl("port", "list").contains("vsit3"), "ports restored");
            attachAll(ns1, ns2, ns3);
            assertPingAndIsolation(daemon, ns1, ns3);
        }
    }

    private static void attachAll(final Netns ns1, final Netns ns2, final Netns ns3)
    {
        ns1.adopt("vsit1", "10.55.0.1/24", "52:54:00:00:aa:01");
        ns2.adopt("vsit2", "10.55.0.2/24", MAC_2);
        // VAN 2 reuses ns2's IP and MAC: address space independence
        ns3.adopt("vsit3", "10.55.0.2/24", MAC_2);
    }

    private static void assertPingAndIsolation(final Daemon daemon, final Netns ns1, final Netns ns3)
    {
        final long ns3Before = ns3.rxPackets("vsit3");
        final long t3Before = daemon.stat("port", "name", "t3", "tx_packets");
        final Shell.Result ping = ns1.ping("10.55.0.2", 5);
        assertEquals(0, ping.exitCode(), "ns1 pings ns2 through VAN 1:\n" + ping.output() + "\n" + daemon.logText());
        assertEquals(ns3Before, ns3.rxPackets("vsit3"), "ns3 (VAN 2) must receive nothing of VAN 1");
        assertEquals(t3Before, daemon.stat("port", "name", "t3", "tx_packets"));
        assertTrue(daemon.stat("van", "id", "1", "unicast") > 0, "learned unicast, not only flooding");
        assertTrue(daemon.vanctl("fdb", "show", "--van", "1").contains("52:54:00:00:aa:01"));
    }
}
