package io.vanswitch.control.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two hosts in different underlay subnets joined by a router (a namespace forwarding IPv4): each
 * switch reaches its peer through its gateway, whose MAC it resolves by ARP, and a VAN spans them.
 */
class GatewayIT
{
    @TempDir
    Path dir;

    private final Resources resources = new Resources();

    @AfterEach
    void tearDown()
    {
        resources.close();
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    @Test
    void peersInOtherSubnetsAreReachedThroughTheGateway()
    {
        Environment.require(false, 600);
        final Netns router = track(new Netns("vsit-gw-r"));
        router.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        final Daemon[] hosts = new Daemon[3];
        final Netns[] tenants = new Netns[3];
        for (int n = 1; n <= 2; n++)
        {
            final Netns host = track(new Netns("vsit-gw-h" + n));
            Shell.ok("ip", "link", "add", "gwr" + n, "netns", router.name(), "type", "veth", "peer", "name", "gwh" + n, "netns", host.name());
            router.exec("ip", "addr", "add", "10.78." + n + ".1/24", "dev", "gwr" + n);
            router.exec("ip", "link", "set", "gwr" + n, "up");
            host.exec("ip", "link", "set", "gwh" + n, "up");
            hosts[n] = track(new Daemon(dir.resolve("g" + n), "it-gw" + n).inNamespace(host.name()).start());
            hosts[n].vanctl("underlay", "set", "--devargs", "net_af_packet_g" + n + ",iface=gwh" + n,
                "--ip", "10.78." + n + ".10/24", "--gateway", "10.78." + n + ".1");
            hosts[n].vanctl("site", "peer", "add", "10.78." + (3 - n) + ".10");
            hosts[n].vanctl("van", "add", "5");
            hosts[n].vanctl("port", "add", "t", "--van", "5", "--tap", "vsgwt" + n);
            tenants[n] = track(new Netns("vsit-gw-t" + n));
            final String tap = "vsgwt" + n;
            Await.until(tap + " created", 10_000, () -> Shell.run("ip", "netns", "exec", host.name(), "ip", "link", "show", tap).exitCode() == 0);
            Shell.ok("ip", "netns", "exec", host.name(), "ip", "link", "set", tap, "netns", tenants[n].name());
            tenants[n].exec("ip", "addr", "add", "172.17.0." + n + "/24", "dev", tap);
            tenants[n].exec("ip", "link", "set", tap, "up");
        }

        for (int i = 1; i <= 2; i++)
        {
            final int n = i;
            final Daemon host = hosts[n];
            final int peer = 3 - n;
            Await.until("host " + n + " resolves its gateway and learns the peer's VANs", 15_000,
                () -> host.vanctl("site", "peer", "list").matches("(?s).*10\\.78\\." + peer + "\\.10\\s+0\\s+10\\.78\\." + n + "\\.1\\s+yes\\s+5.*"),
                () -> host.vanctl("site", "peer", "list") + host.vanctl("neigh", "show"));
        }
        final Shell.Result ping = tenants[1].ping("172.17.0.2", 5);
        assertEquals(0, ping.exitCode(), ping.output() + hosts[1].logText());
        assertTrue(hosts[1].vanctl("neigh", "show").contains("10.78.1.1"), "gateway resolved by ARP");
        assertTrue(Long.parseLong(router.exec("cat", "/sys/class/net/gwr1/statistics/rx_packets").trim()) > 10, "traffic went through the router");
    }
}
