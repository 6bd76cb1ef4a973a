package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switch owns its underlay NIC (net_af_packet on a veth whose peer is in a namespace), so it
 * answers ARP and ping for its underlay address itself, learns neighbours from ARP, resolves them
 * on request, and keeps static overrides; the underlay survives a restart.
 */
class UnderlayIT
{
    @TempDir
    Path dir;

    @Test
    void answersArpAndPingAndResolvesNeighbours()
    {
        Environment.require(false, 300);
        Shell.run("ip", "link", "del", "vsitul0");
        try (Netns peer = new Netns("vsit-ulpeer");
            Daemon daemon = new Daemon(dir, "it-underlay").start())
        {
            Shell.ok("ip", "link", "add", "vsitul0", "type", "veth", "peer", "name", "vsitul1");
            Shell.ok("ip", "link", "set", "vsitul0", "up");
            peer.adopt("vsitul1", "192.168.88.2/24", "52:54:00:00:cc:02");
            daemon.vanctl("underlay", "set", "--devargs", "net_af_packet_it,iface=vsitul0", "--ip", "192.168.88.1/24");

            final Shell.Result ping = peer.ping("192.168.88.1", 3);
            assertEquals(0, ping.exitCode(), "the switch answers ping on its underlay address:\n" + ping.output() + daemon.logText());
            final Map<String, String> underlay = daemon.rows("underlay-show").getFirst();
            assertTrue(Long.parseLong(underlay.get("icmp_replied")) >= 3, underlay.toString());
            assertTrue(Long.parseLong(underlay.get("arp_replied")) >= 1, underlay.toString());
            assertTrue(peer.exec("ip", "neigh", "show", "192.168.88.1").contains(underlay.get("mac")),
                "the peer resolved the switch's MAC by ARP");
            Await.until("neighbour learned from the peer's ARP", 5_000,
                () -> daemon.vanctl("neigh", "show").contains("52:54:00:00:cc:02"));

            // resolution on request: forget the kernel's cache, restart, ask
            daemon.vanctl("neigh", "add", "192.168.88.9", "52:54:00:00:cc:09");
            assertEquals(0, daemon.stop());
            daemon.start();
            assertTrue(daemon.vanctl("neigh", "show").contains("52:54:00:00:cc:09"), "static neighbour restored");
            assertTrue(daemon.vanctl("underlay", "show").contains("192.168.88.1/24"), "underlay restored");
            daemon.vanctl("neigh", "resolve", "192.168.88.2");
            Await.until("ARP answer from the peer", 5_000, () -> daemon.vanctl("neigh", "show").contains("52:54:00:00:cc:02"),
                () -> daemon.vanctl("underlay", "show") + daemon.logText());

            // non-VAN traffic to the host is counted and dropped
            peer.exec("bash", "-c", "echo hello > /dev/udp/192.168.88.1/9999 || true");
            Await.until("UDP to another port counted as other", 5_000,
                () -> Long.parseLong(daemon.rows("underlay-show").getFirst().get("other")) >= 1);
            assertEquals(1, daemon.vanctlResult("neigh", "add", "192.168.88.300", "52:54:00:00:cc:03").exitCode());
        }
        finally
        {
            Shell.run("ip", "link", "del", "vsitul0");
        }
    }
}
