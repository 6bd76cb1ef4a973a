package io.vanswitch.control.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three hosts as network namespaces on one underlay (veth into a Linux bridge), each with its own
 * vanswitch owning its underlay NIC through net_af_packet; tenant endpoints are TAP ports moved into
 * their own namespaces. VAN 10 and VAN 20 use the same tenant IPs and MACs. Shows: ping across hosts
 * in both VANs with no leak between them, no more flooding after the learning signal, floods only
 * to the hosts that serve the VAN, ARP answered by the proxy without crossing the underlay, migration of an endpoint to another host with ping restored and
 * no trace left, and a killed host losing its routes at the others within the health time and
 * coming back cleanly after a restart.
 */
class MultiHostIT
{
    private static final String BRIDGE = "vsitbr";
    private static final String MAC_1 = "52:54:00:10:00:01";
    private static final String MAC_2 = "52:54:00:10:00:02";

    @TempDir
    Path dir;

    private final Resources resources = new Resources();

    @AfterEach
    void tearDown()
    {
        resources.close();
        Shell.run("ip", "link", "del", BRIDGE);
        for (int h = 1; h <= 3; h++)
        {
            Shell.run("ip", "link", "del", "vsitu" + h);
        }
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    private Daemon host(final int n)
    {
        final Netns ns = track(new Netns("vsit-h" + n));
        Shell.run("ip", "link", "del", "vsitu" + n);
        Shell.ok("ip", "link", "add", "vsitu" + n, "type", "veth", "peer", "name", "ul" + n);
        Shell.ok("ip", "link", "set", "vsitu" + n, "master", BRIDGE, "up");
        Shell.ok("ip", "link", "set", "ul" + n, "netns", ns.name());
        ns.exec("ip", "link", "set", "ul" + n, "up");
        final Daemon daemon = track(new Daemon(dir.resolve("h" + n), "it-h" + n, "--health-timeout", "800").inNamespace(ns.name()).start());
        daemon.vanctl("underlay", "set", "--devargs", "net_af_packet_h" + n + ",iface=ul" + n, "--ip", "10.77.0." + n + "/24");
        for (int peer = 1; peer <= 3; peer++)
        {
            if (peer != n)
            {
                daemon.vanctl("site", "peer", "add", "10.77.0." + peer);
            }
        }
        daemon.vanctl("van", "add", "10");
        daemon.vanctl("van", "add", "20");
        return daemon;
    }

    /** A tenant endpoint: a TAP port of {@code host} moved from the host's namespace into its own. */
    private Netns endpoint(final Daemon host, final int hostNumber, final String port, final int van, final String ip, final String mac)
    {
        final Netns ns = track(new Netns("vsit-" + port));
        ns.attachTap(host, "vsit-h" + hostNumber, port, van, ip, mac);
        return ns;
    }

    private static long vanCounter(final Daemon daemon, final int van, final String counter)
    {
        return daemon.stat("van", "id", Integer.toString(van), counter);
    }

    private static Map<String, String> underlay(final Daemon daemon)
    {
        return daemon.rows("underlay-show").getFirst();
    }

    /** tshark on h1's underlay port (in the root namespace, on the bridge): DATA frames of VAN 10. */
    private Process startCapture()
    {
        try
        {
            final Process process = new ProcessBuilder("tshark", "-l", "-i", "vsitu1", "-a", "duration:6", "-f", "udp dst port 4797",
                "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.flags.df", "-e", "udp.srcport",
                "-e", "udp.dstport", "-e", "udp.length", "-e", "data.data")
                .redirectError(dir.resolve("tshark.err").toFile()).start();
            Await.until("tshark capturing", 10_000, () -> readQuietly(dir.resolve("tshark.err")).contains("Capturing on"));
            return process;
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("tshark not available (apt-get install tshark): " + ex.getMessage());
        }
    }

    private static String readQuietly(final Path path)
    {
        try
        {
            return java.nio.file.Files.readString(path);
        }
        catch (final java.io.IOException ex)
        {
            return "";
        }
    }

    private static void assertWireFormat(final Process capture)
    {
        final String fields;
        try
        {
            fields = new String(capture.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            capture.waitFor();
        }
        catch (final java.io.IOException | InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
        // signals (HEALTH 0x15, ANNOUNCE 0x17...) share the port; DATA starts 0x11
        final List<String> data = fields.lines().filter(l -> l.startsWith("10.77.0.1,10.77.0.2,") && l.split(",").length == 7 &&
            l.split(",")[6].startsWith("11")).toList();
        assertTrue(data.size() >= 5, "DATA frames h1 -> h2 on the underlay:\n" + fields);
        assertTrue(fields.lines().anyMatch(l -> l.startsWith("10.77.0.1,10.77.0.2,") && l.endsWith(",") == false &&
            l.split(",")[6].startsWith("15")), "HEALTH signals travel the same way:\n" + fields);
        for (final String line : data)
        {
            final String[] f = line.split(",");
            assertTrue("1".equals(f[2]) || "True".equalsIgnoreCase(f[2]), "DF set: " + line);
            final int sourcePort = Integer.parseInt(f[3]);
            assertTrue(sourcePort >= 49152 && sourcePort <= 65535, "UDP source port from the flow hash: " + line);
            assertEquals("4797", f[4], line);
            final String payload = f[6];
            // VAN header: version 1 / type DATA (0x11), flags 0, reserved 0, source VAN 10, destination VAN 10
            assertTrue(payload.startsWith("11000000" + "0000000a" + "0000000a"), "VAN header as documented: " + line);
            assertEquals(Integer.parseInt(f[5]) - 8, payload.length() / 2, "UDP length covers the VAN header and inner frame");
            // the inner frame follows: destination b10, source a10
            assertTrue(payload.substring(24).startsWith(MAC_2.replace(":", "") + MAC_1.replace(":", "")), "inner frame: " + line);
        }
    }

    @Test
    void vansSpanHostsWithSignalsMigrationAndHealth()
    {
        Environment.require(false, 900);
        Shell.run("ip", "link", "del", BRIDGE);
        Shell.ok("ip", "link", "add", BRIDGE, "type", "bridge");
        Shell.ok("ip", "link", "set", BRIDGE, "up");
        final Daemon h1 = host(1);
        final Daemon h2 = host(2);
        final Daemon h3 = host(3);

        final Netns a10 = endpoint(h1, 1, "a10", 10, "172.16.0.1", MAC_1);
        final Netns b10 = endpoint(h2, 2, "b10", 10, "172.16.0.2", MAC_2);
        // a second VAN 10 node on h1, so h1 still serves VAN 10 after a10 leaves: the route to a10's old
        // place is then repaired by UNLEARN (h1 answers misrouted DATA), not by membership
        final Netns c10 = endpoint(h1, 1, "c10", 10, "172.16.0.3", "52:54:00:10:00:03");
        // VAN 20 reuses VAN 10's addresses exactly: address space independence
        final Netns a20 = endpoint(h1, 1, "a20", 20, "172.16.0.1", MAC_1);
        final Netns b20 = endpoint(h2, 2, "b20", 20, "172.16.0.2", MAC_2);

        Await.until("h1 and h2 know each other serves VAN 10 and 20", 15_000,
            () -> h1.vanctl("site", "peer", "list").contains("10,20") && h2.vanctl("site", "peer", "list").contains("10,20"),
            () -> h1.vanctl("site", "peer", "list") + h2.vanctl("site", "peer", "list"));

        // ping across hosts on VAN 10; VAN 20's twin sees none of it
        final long b20Before = b20.rxPackets("vsb20");
        final Shell.Result ping10 = a10.ping("172.16.0.2", 5);
        assertEquals(0, ping10.exitCode(), ping10.output() + h1.logText());
        assertEquals(b20Before, b20.rxPackets("vsb20"), "VAN 20 endpoint with the same IP and MAC saw VAN 10 traffic");
        assertTrue(vanCounter(h1, 10, "encapsulated") > 0 && vanCounter(h2, 10, "decapsulated") > 0);

        // after the learning signal: unicast only, the flood counters stand still; meanwhile tshark
        // reads the underlay as docs/wire-format.md describes it
        final long flooded1 = vanCounter(h1, 10, "flooded");
        final long flooded2 = vanCounter(h2, 10, "flooded");
        final Process capture = startCapture();
        assertEquals(0, a10.ping("172.16.0.2", 10).exitCode());
        assertWireFormat(capture);
        assertEquals(flooded1, vanCounter(h1, 10, "flooded"), "h1 still flooding after LEARN");
        assertEquals(flooded2, vanCounter(h2, 10, "flooded"), "h2 still flooding after LEARN");
        final Map<String, String> route = h1.rows("fdb-show", "van", "10").stream()
            .filter(r -> MAC_2.equals(r.get("mac"))).findFirst().orElseThrow();
        assertEquals("remote", route.get("type"), route.toString());
        assertEquals("10.77.0.2", route.get("peer"), route.toString());
        assertTrue(Long.parseLong(route.get("hits")) >= 10, "the route carried the pings: " + route);
        assertTrue(vanCounter(h1, 10, "learn_received") >= 1 && vanCounter(h2, 10, "learn_sent") >= 1, "LEARN per VAN counted");

        // ARP proxy: h1 knows 172.16.0.2 in VAN 10 (from b10's ARP reply), so a10's next request is
        // answered at h1 and never crosses the underlay as a flood
        final long proxiedBefore = vanCounter(h1, 10, "arp_proxied");
        final long floodedBeforeArp = vanCounter(h1, 10, "flooded");
        a10.exec("ip", "neigh", "flush", "dev", "vsa10");
        assertEquals(0, a10.ping("172.16.0.2", 2).exitCode());
        assertTrue(vanCounter(h1, 10, "arp_proxied") > proxiedBefore, "ARP request answered by the proxy");
        assertEquals(floodedBeforeArp, vanCounter(h1, 10, "flooded"), "the proxied ARP request must not be flooded");
        assertTrue(a10.exec("ip", "neigh", "show", "172.16.0.2").contains(MAC_2), "the proxy's answer is b10's MAC");

        // VAN 20 works on its own, same addresses, and VAN 10 sees none of it
        final long b10Before = b10.rxPackets("vsb10");
        assertEquals(0, a20.ping("172.16.0.2", 3).exitCode());
        assertEquals(b10Before, b10.rxPackets("vsb10"), "VAN 10 endpoint saw VAN 20 traffic");
        // h3 serves no VAN: no flood ever reached it
        assertEquals("0", underlay(h3).get("decapsulated"), "floods went only to hosts serving the VAN: " + underlay(h3));

        // migration: a10 (MAC_1) moves from h1 to h3, same MAC and IP, while b10 pings it every 10 ms
        final Shell.Result[] during = new Shell.Result[1];
        final Thread pinger = new Thread(() -> during[0] = Shell.run("ip", "netns", "exec", b10.name(),
            "ping", "-i", "0.01", "-c", "600", "-W", "1", "172.16.0.1"));
        pinger.start();
        Daemon.pause(1_000);
        h1.vanctl("port", "del", "a10");
        a10.attachTap(h3, "vsit-h3", "a10", 10, "172.16.0.1", MAC_1);
        try
        {
            pinger.join(60_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final String stats = during[0].output();
        final int sent = Integer.parseInt(stats.replaceAll("(?s).*?(\\d+) packets transmitted.*", "$1"));
        final int received = Integer.parseInt(stats.replaceAll("(?s).*?(\\d+) received.*", "$1"));
        System.out.println("MIGRATION: " + sent + " sent, " + received + " received at 10 ms intervals: downtime about " +
            (sent - received) * 10 + " ms");
        assertEquals(0, b10.ping("172.16.0.1", 3).exitCode(), "ping restored after migration");
        assertTrue(Long.parseLong(underlay(h1).getOrDefault("unlearn_sent", "0")) >= 1,
            "h1 answered misrouted DATA with UNLEARN: " + underlay(h1));
        assertTrue(Long.parseLong(underlay(h2).getOrDefault("unlearn_received", "0")) >= 1, "h2 got the UNLEARN: " + underlay(h2));
        assertEquals(0, c10.ping("172.16.0.2", 2).exitCode(), "h1's other VAN 10 node is unaffected");
        assertFalse(h1.vanctl("fdb", "show").contains(MAC_1 + "  a10"), "h1 keeps no local entry for the moved MAC");
        assertFalse(h1.vanctl("fdb", "show", "--van", "10").contains(MAC_1), "h1 keeps no trace of the moved MAC in VAN 10");
        assertTrue(h2.vanctl("fdb", "show", "--van", "10").matches("(?s).*" + MAC_1 + "\\s+-\\s+remote\\s+10\\.77\\.0\\.3.*"),
            "h2 routes the moved MAC to h3:\n" + h2.vanctl("fdb", "show", "--van", "10"));

        // health: h2 dies; h3 and h1 drop every route through it within the health time
        assertTrue(h3.vanctl("fdb", "show", "--van", "10").contains("10.77.0.2"), "h3 routes to h2 before it dies");
        h2.kill();
        final long killedAt = System.currentTimeMillis();
        Await.until("h3 drops routes via h2", 5_000, () -> !h3.vanctl("fdb", "show").contains("10.77.0.2"),
            () -> h3.vanctl("health", "show"));
        final long detectedMs = System.currentTimeMillis() - killedAt;
        System.out.println("HEALTH: routes via the killed host gone after " + detectedMs + " ms");
        assertTrue(detectedMs < 2_000, "health detection took " + detectedMs + " ms");
        assertTrue(h3.vanctl("health", "show").matches("(?s).*10\\.77\\.0\\.2\\s+down.*"), h3.vanctl("health", "show"));

        // ... and comes back cleanly: restarted from its state directory, it is up again at its peers,
        // its endpoint (whose TAP it recreates) reaches the migrated one, and routes are learned anew
        h2.start();
        Await.until("h2 up again at h3", 10_000, () -> h3.vanctl("health", "show").matches("(?s).*10\\.77\\.0\\.2\\s+up.*"),
            () -> h3.vanctl("health", "show"));
        Await.until("vsb10 recreated in h2", 10_000,
            () -> Shell.run("ip", "netns", "exec", "vsit-h2", "ip", "link", "show", "vsb10").exitCode() == 0);
        Shell.ok("ip", "netns", "exec", "vsit-h2", "ip", "link", "set", "vsb10", "netns", b10.name());
        b10.exec("ip", "link", "set", "vsb10", "address", MAC_2);
        b10.exec("ip", "addr", "add", "172.16.0.2/24", "dev", "vsb10");
        b10.exec("ip", "link", "set", "vsb10", "up");
        Await.until("h2 serves VAN 10 again at h3", 10_000,
            () -> h3.vanctl("site", "peer", "list").matches("(?s).*10\\.77\\.0\\.2\\s+1\\s+10\\.77\\.0\\.2\\s+yes\\s+10,20.*"),
            () -> h3.vanctl("site", "peer", "list"));
        final Shell.Result back = b10.ping("172.16.0.1", 5);
        assertEquals(0, back.exitCode(), "ping after h2 came back:\n" + back.output() + h2.logText() +
            "\nh2 peers:\n" + h2.vanctl("site", "peer", "list") + "\nh3 peers:\n" + h3.vanctl("site", "peer", "list") +
            "\nh2 underlay:\n" + underlay(h2) + "\nh3 underlay:\n" + underlay(h3) + "\nh2 fdb:\n" + h2.vanctl("fdb", "show") +
            "\nh3 fdb:\n" + h3.vanctl("fdb", "show") + "\nh2 ports:\n" + h2.vanctl("port", "list") + "\nb10: " + b10.exec("ip", "addr") + "\nh3 log:\n" + h3.logText());
        assertTrue(h2.vanctl("fdb", "show", "--van", "10").contains("10.77.0.3"), "h2 routes to h3 again");
    }
}
