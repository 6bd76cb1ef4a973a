package io.vanswitch.control.it;

import io.vanswitch.control.federation.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sites of independent providers, each a host and a proxy in network namespaces, every switch
 * owning its NICs through net_af_packet on veth pairs: site A's underlay (10.1.0.0/24), site B's
 * (10.2.0.0/24), and the inter-site link between the proxies' public ports (192.0.2.0/24). A tenant's
 * VAN is 17 at A and 42 at B. Shows: ping across the sites; VAN 99 (same tenant IPs) is mapped by A
 * but not by B and never crosses, dropped and counted at B's proxy; a capture on B's underlay holds
 * no address of site A; B's host lists A's tenant MAC behind B's proxy; a proxy with a certificate
 * from another CA is refused; the session comes back after a proxy restarts; and a node that
 * migrates from A's host to B's host is reachable again from both sites, with the downtime measured.
 */
class FederationIT
{
    private static final String NODE_A = "52:54:00:17:00:01";
    private static final String NODE_A2 = "52:54:00:17:00:03";
    private static final String NODE_B = "52:54:00:42:00:02";

    @TempDir
    Path dir;

    private final Resources resources = new Resources();
    private TestPki pki;

    @AfterEach
    void tearDown()
    {
        resources.close();
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    private Daemon daemon(final String name, final Netns ns)
    {
        return track(new Daemon(dir.resolve(name), "it-f" + name, "--health-timeout", "800", "--proxy-rekey", "8000",
            "--mem", "160")
            .inNamespace(ns.name()).start());
    }

    private static void underlay(final Daemon daemon, final String iface, final String ip, final String peer)
    {
        daemon.vanctl("underlay", "set", "--devargs", "net_af_packet_" + iface + ",iface=" + iface, "--ip", ip + "/24");
        daemon.vanctl("site", "peer", "add", peer);
    }

    private void enableProxy(final Daemon proxy, final String iface, final String publicIp, final String name, final Path ca)
    {
        proxy.vanctl("proxy", "enable", "--public-devargs", "net_af_packet_" + iface + ",iface=" + iface,
            "--public-ip", publicIp + "/24", "--cert", pki.cert(name).toString(), "--key", pki.key(name).toString(), "--ca", ca.toString());
    }

    private static Map<String, String> peerRow(final Daemon proxy, final String peer)
    {
        return proxy.rows("proxy-show").stream()
            .filter(row -> "peer".equals(row.get("kind")) && peer.equals(row.get("name"))).findFirst().orElseThrow();
    }

    private static boolean pings(final Netns from, final String ip)
    {
        return from.ping(ip, 1).exitCode() == 0;
    }

    @Test
    void aVanSpansTwoSitesThroughTheirProxies() throws Exception
    {
        Environment.require(false, 4 * 160);
        Environment.requireExecutable("/usr/bin/openssl", "apt-get install openssl");
        Environment.requireExecutable("/usr/bin/tshark", "apt-get install tshark");
        pki = new TestPki(Files.createDirectories(dir.resolve("pki")));

        final Netns a1Ns = track(new Netns("vsf-a1"));
        final Netns paNs = track(new Netns("vsf-pa"));
        final Netns b1Ns = track(new Netns("vsf-b1"));
        final Netns pbNs = track(new Netns("vsf-pb"));
        Netns.wire("vsfa1u", a1Ns, "vsfpau", paNs);
        Netns.wire("vsfb1u", b1Ns, "vsfpbu", pbNs);
        Netns.wire("vsfpap", paNs, "vsfpbp", pbNs);

        final Daemon a1 = daemon("a1", a1Ns);
        final Daemon pa = daemon("pa", paNs);
        final Daemon b1 = daemon("b1", b1Ns);
        final Daemon pb = daemon("pb", pbNs);
        underlay(a1, "vsfa1u", "10.1.0.1", "10.1.0.2");
        underlay(pa, "vsfpau", "10.1.0.2", "10.1.0.1");
        underlay(b1, "vsfb1u", "10.2.0.1", "10.2.0.2");
        underlay(pb, "vsfpbu", "10.2.0.2", "10.2.0.1");
        for (final Daemon d : List.of(a1, pa))
        {
            d.vanctl("van", "add", "17");
            d.vanctl("van", "add", "99");
        }
        for (final Daemon d : List.of(b1, pb))
        {
            d.vanctl("van", "add", "42");
            d.vanctl("van", "add", "99");
        }

        enableProxy(pa, "vsfpap", "192.0.2.1", "site-a", pki.ca1);
        enableProxy(pb, "vsfpbp", "192.0.2.2", "site-b", pki.ca1);
        pa.vanctl("proxy", "peer", "add", "site-b", "--address", "192.0.2.2");
        pb.vanctl("proxy", "peer", "add", "site-a", "--address", "192.0.2.1");
        pa.vanctl("proxy", "map", "site-b", "--local-van", "17", "--remote-van", "42");
        pb.vanctl("proxy", "map", "site-a", "--local-van", "42", "--remote-van", "17");
        // A lets VAN 99 cross, B does not: whatever A sends of it must die at B's proxy
        pa.vanctl("proxy", "map", "site-b", "--local-van", "99", "--remote-van", "99");

        final Netns ea = track(new Netns("vsf-ea"));
        final Netns ea2 = track(new Netns("vsf-ea2"));
        final Netns eb = track(new Netns("vsf-eb"));
        final Netns ea99 = track(new Netns("vsf-ea99"));
        final Netns eb99 = track(new Netns("vsf-eb99"));
        ea.attachTap(a1, a1Ns.name(), "ea", 17, "172.16.0.1", NODE_A);
        ea2.attachTap(a1, a1Ns.name(), "ea2", 17, "172.16.0.3", NODE_A2);
        eb.attachTap(b1, b1Ns.name(), "eb", 42, "172.16.0.2", NODE_B);
        ea99.attachTap(a1, a1Ns.name(), "ea99", 99, "172.16.0.1", "52:54:00:99:00:01");
        eb99.attachTap(b1, b1Ns.name(), "eb99", 99, "172.16.0.2", "52:54:00:99:00:02");

        Await.until("the proxies' session and data keys", 30_000,
            () -> "up".equals(peerRow(pa, "site-b").get("state")) && !"-".equals(peerRow(pa, "site-b").get("key")) &&
                !"-".equals(peerRow(pb, "site-a").get("key")));
        assertTrue(peerRow(pa, "site-b").get("subject").contains("CN=site-b"), "A sees B's certificate: " + peerRow(pa, "site-b"));

        // a capture on B's underlay while A's node talks to B's
        final Path captureFile = dir.resolve("site-b-underlay.txt");
        final Process capture = capture(b1Ns, "vsfb1u", captureFile);

        Await.until("ping from A's VAN 17 to B's VAN 42", 30_000, () -> pings(ea, "172.16.0.2"));
        final Shell.Result burst = Shell.run("ip", "netns", "exec", ea.name(), "ping", "-c", "20", "-i", "0.05", "-W", "2", "172.16.0.2");
        assertEquals(0, burst.exitCode(), burst.output());
        System.out.println("FederationIT: cross-site ping " + rttLine(burst.output()));

        // after the first frames no more flooding across the sites: unicast both ways
        final long floodsA = a1.stat("van", "id", "17", "flooded");
        final long floodsB = b1.stat("van", "id", "42", "flooded");
        assertEquals(0, ea.ping("172.16.0.2", 10).exitCode());
        assertEquals(floodsA, a1.stat("van", "id", "17", "flooded"), "A's host floods nothing once it learned B's node");
        assertEquals(floodsB, b1.stat("van", "id", "42", "flooded"), "B's host floods nothing once it learned A's node");

        // ARP for a node of the other site is answered by B's host's ARP proxy, from what crossed
        final long arpProxied = b1.stat("van", "id", "42", "arp_proxied");
        eb.exec("ip", "neigh", "flush", "dev", "vseb");
        assertEquals(0, eb.ping("172.16.0.1", 1).exitCode());
        assertTrue(b1.stat("van", "id", "42", "arp_proxied") > arpProxied, "B's host answered the ARP for A's node");

        // operators: JSON, and one-line errors that leave the working proxy alone
        final String json = pa.vanctl("-o", "json", "proxy", "show");
        assertTrue(json.contains("site-b") && json.contains("CN=site-b") && json.contains("remote_van"), json);
        assertOneLineError(pa.vanctlResult("proxy", "enable", "--public-devargs", "net_af_packet_vsfpap,iface=vsfpap",
            "--public-ip", "192.0.2.1/24", "--cert", dir.resolve("missing.pem").toString(), "--key", pki.key("site-a").toString(),
            "--ca", pki.ca1.toString()), "no such file");
        assertOneLineError(pa.vanctlResult("proxy", "enable", "--public-devargs", "net_af_packet_vsfpap,iface=vsfpap",
            "--public-ip", "192.0.2.1/24", "--cert", pki.cert("site-a").toString(), "--key", pki.key("site-b").toString(),
            "--ca", pki.ca1.toString()), "does not match");
        assertOneLineError(pa.vanctlResult("proxy", "map", "nobody", "--local-van", "17", "--remote-van", "5"), "unknown peer proxy");
        assertEquals(0, ea.ping("172.16.0.2", 2).exitCode(), "the proxy still works after refused changes");

        // VAN 99 uses the same tenant IPs and never crosses
        assertFalse(ea99.ping("172.16.0.2", 3).exitCode() == 0, "VAN 99 is not mapped at B");
        Await.until("B's proxy counts A's VAN 99 frames as unmapped", 10_000,
            () -> Long.parseLong(peerRow(pb, "site-a").get("drop_unmapped_van")) > 0);
        assertEquals(0, b1.stat("van", "id", "99", "decapsulated"), "nothing of A's VAN 99 reached B's host");

        capture.waitFor();
        assertPrivacy(Files.readString(captureFile, StandardCharsets.US_ASCII), pa, a1);

        // B's host knows A's tenant MAC behind B's proxy, in B's VAN id
        final Map<String, String> route = b1.rows("fdb-show", "van", "42").stream()
            .filter(row -> NODE_A.equals(row.get("mac"))).findFirst().orElseThrow(() -> new AssertionError(b1.vanctl("fdb", "show")));
        assertEquals("10.2.0.2", route.get("peer"), "A's node lives behind B's proxy: " + route);

        // the keys rotate (every 8 s here) without losing the conversation
        final long rotations = Long.parseLong(peerRow(pa, "site-b").get("rotations"));
        Await.until("a key rotation", 20_000, () -> Long.parseLong(peerRow(pa, "site-b").get("rotations")) > rotations);
        assertEquals(0, ea.ping("172.16.0.2", 5).exitCode(), "ping across a key rotation");

        assertSealingAllocatesNothing(ea, pa, pb, a1, b1);

        // a proxy with a certificate from another CA is refused: B counts it, nothing crosses
        final long refusedBefore = Long.parseLong(pb.rows("proxy-show").getFirst().get("refused"));
        pa.vanctl("proxy", "enable", "--public-devargs", "net_af_packet_vsfpap,iface=vsfpap", "--public-ip", "192.0.2.1/24",
            "--cert", pki.cert("rogue").toString(), "--key", pki.key("rogue").toString(), "--ca", pki.bothCas.toString());
        Await.until("B refuses the rogue certificate", 20_000,
            () -> Long.parseLong(pb.rows("proxy-show").getFirst().get("refused")) > refusedBefore);
        assertNotEquals("up", peerRow(pb, "site-a").get("state"));
        assertFalse(pings(ea, "172.16.0.2"), "no traffic through a refused proxy");

        // a certificate from the right CA that names another proxy (B's own, here) is refused too
        enableProxy(pa, "vsfpap", "192.0.2.1", "site-b", pki.ca1);
        Await.until("B refuses a certificate that does not name site-a", 20_000,
            () -> "refused".equals(peerRow(pb, "site-a").get("state")));
        assertFalse(pings(ea, "172.16.0.2"), "no traffic through a proxy of the wrong name");

        // the genuine certificate again: the session is back
        enableProxy(pa, "vsfpap", "192.0.2.1", "site-a", pki.ca1);
        Await.until("ping after the session is restored", 30_000, () -> pings(ea, "172.16.0.2"));

        // B's proxy restarts (its configuration comes back from its state file)
        assertNotEquals("0", peerRow(pa, "site-b").get("routes"), "A routes B's node through the link");
        pb.stop();
        Await.until("A withdraws the routes through the lost session", 10_000,
            () -> "0".equals(peerRow(pa, "site-b").get("routes")) && !"up".equals(peerRow(pa, "site-b").get("state")));
        assertFalse(pings(ea, "172.16.0.2"));
        pb.start();
        Await.until("ping after B's proxy restarted", 30_000, () -> pings(ea, "172.16.0.2"));

        // A's node migrates to B's host: same MAC and IP, VAN 17 there is VAN 42 here
        assertEquals(0, ea2.ping("172.16.0.1", 2).exitCode());
        assertEquals(0, eb.ping("172.16.0.1", 2).exitCode());
        final Path watchFile = dir.resolve("migration-ping.txt");
        final Process watch = new ProcessBuilder("ip", "netns", "exec", eb.name(), "ping", "-D", "-i", "0.05", "-W", "1", "172.16.0.1")
            .redirectErrorStream(true).redirectOutput(watchFile.toFile()).start();
        Await.until("the watching ping gets replies before the move", 10_000,
            () -> readQuietly(watchFile).lines().filter(l -> l.contains("bytes from")).count() >= 3);
        final long moveStart = System.nanoTime();
        a1.vanctl("port", "del", "ea");
        ea.attachTap(b1, b1Ns.name(), "eamoved", 42, "172.16.0.1", NODE_A);
        // the node speaks from where it is now (a migrated VM announces itself the same way)
        ea.ping("172.16.0.2", 1);
        Await.until("B's node reaches the migrated node", 30_000, () -> pings(eb, "172.16.0.1"));
        Await.until("A's other node reaches the migrated node", 30_000, () -> pings(ea2, "172.16.0.1"));
        final long restoredMs = (System.nanoTime() - moveStart) / 1_000_000;
        Shell.run("ip", "netns", "exec", eb.name(), "ping", "-c", "3", "-i", "0.2", "172.16.0.1");
        watch.destroy();
        watch.waitFor();
        final long gapMs = longestGapMs(Files.readString(watchFile, StandardCharsets.US_ASCII));
        System.out.println("FederationIT: cross-site migration: B's node saw no reply for " + gapMs +
            " ms (ping every 50 ms); both sites reach the node " + restoredMs + " ms after its port was deleted at A");

        // the move reached A's host: it routes the node through its proxy (after its next frame), never locally
        Await.until("A's host routes the migrated node through its proxy", 10_000, () ->
        {
            ea2.ping("172.16.0.1", 1);
            return a1.rows("fdb-show", "van", "17").stream()
                .anyMatch(row -> NODE_A.equals(row.get("mac")) && "remote".equals(row.get("type")) && "10.1.0.2".equals(row.get("peer")));
        });
        assertTrue(a1.rows("fdb-show", "van", "17").stream()
            .noneMatch(row -> NODE_A.equals(row.get("mac")) && "local".equals(row.get("type"))), "no stale local entry at A's host");
    }

    /** The longest time between two replies of {@code ping -D} (its lines start with [epoch seconds]). */
    private static long longestGapMs(final String pingOutput)
    {
        double previous = -1;
        double longest = 0;
        for (final String line : pingOutput.lines().toList())
        {
            if (line.startsWith("[") && line.contains("bytes from"))
            {
                final double at = Double.parseDouble(line.substring(1, line.indexOf(']')));
                if (previous >= 0)
                {
                    longest = Math.max(longest, at - previous);
                }
                previous = at;
            }
        }
        return Math.round(longest * 1000);
    }

    /**
     * The proxies' PMD threads allocate nothing per frame while they seal and open: a window of flood
     * ping through both with no allocation at all. Installing a key allocates (once, on the PMD
     * thread), and so can a deoptimisation of the JIT (once); a window with either is measured again.
     * An allocation per frame would show in every window, at 1000 frames or more each.
     */
    private static void assertSealingAllocatesNothing(final Netns from, final Daemon pa, final Daemon pb, final Daemon a1, final Daemon b1)
    {
        Shell.run("ip", "netns", "exec", from.name(), "ping", "-f", "-c", "3000", "-W", "1", "172.16.0.2"); // warm-up
        final List<String> windows = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++)
        {
            final long rotationsA = rotations(pa, "site-b");
            final long rotationsB = rotations(pb, "site-a");
            // a key installed just before these counts reaches the PMDs during this short flood, not in the window
            Shell.run("ip", "netns", "exec", from.name(), "ping", "-f", "-c", "200", "-W", "1", "172.16.0.2");
            final long allocatedA = pa.stat("pmd", "index", "0", "allocated_bytes");
            final long allocatedB = pb.stat("pmd", "index", "0", "allocated_bytes");
            final long allocatedA1 = a1.stat("pmd", "index", "0", "allocated_bytes");
            final long allocatedB1 = b1.stat("pmd", "index", "0", "allocated_bytes");
            final long sealedBefore = Long.parseLong(peerRow(pa, "site-b").get("tx_packets"));
            final Shell.Result flood = Shell.run("ip", "netns", "exec", from.name(), "ping", "-f", "-c", "1000", "-W", "1", "172.16.0.2");
            final long sealed = Long.parseLong(peerRow(pa, "site-b").get("tx_packets")) - sealedBefore;
            final long allocatedDeltaA = pa.stat("pmd", "index", "0", "allocated_bytes") - allocatedA;
            final long allocatedDeltaB = pb.stat("pmd", "index", "0", "allocated_bytes") - allocatedB;
            final long allocatedDeltaA1 = a1.stat("pmd", "index", "0", "allocated_bytes") - allocatedA1;
            final long allocatedDeltaB1 = b1.stat("pmd", "index", "0", "allocated_bytes") - allocatedB1;
            // a rotation under way at the window's end (KEY sent, KEY_ACK not yet back) shows in the counts after this
            Shell.run("ip", "netns", "exec", from.name(), "ping", "-f", "-c", "200", "-W", "1", "172.16.0.2");
            final boolean rotated = rotations(pa, "site-b") != rotationsA || rotations(pb, "site-a") != rotationsB;
            assertEquals(0, flood.exitCode(), flood.output());
            assertTrue(allocatedA >= 0 && allocatedB >= 0, "allocation counters available");
            windows.add(sealed + " frames sealed by A's proxy and opened by B's: PMD allocations A " + allocatedDeltaA + " B " +
                allocatedDeltaB + " bytes (hosts: A " + allocatedDeltaA1 + ", B " + allocatedDeltaB1 + ")" + (rotated ? ", a key rotated" : ""));
            if (!rotated && sealed >= 1000 && allocatedDeltaA == 0 && allocatedDeltaB == 0)
            {
                System.out.println("FederationIT: " + String.join("; ", windows));
                return;
            }
        }
        throw new AssertionError("the proxies' PMDs allocated in every window: " + String.join("; ", windows));
    }

    private static void assertOneLineError(final Daemon.CliResult result, final String expected)
    {
        assertEquals(1, result.exitCode(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result.err());
        assertTrue(result.err().contains(expected), result.err());
    }

    private static long rotations(final Daemon proxy, final String peer)
    {
        return Long.parseLong(peerRow(proxy, peer).get("rotations"));
    }

    private static String rttLine(final String pingOutput)
    {
        return pingOutput.lines().filter(l -> l.contains("min/avg/max")).findFirst().orElse("(no summary)");
    }

    /** tshark on B's host's underlay interface: every frame's addresses, for a few seconds. */
    private Process capture(final Netns ns, final String iface, final Path out) throws IOException
    {
        final Path err = dir.resolve("tshark-" + iface + ".err");
        final Process process = new ProcessBuilder("ip", "netns", "exec", ns.name(), "tshark", "-l", "-i", iface, "-a", "duration:8",
            "-T", "fields", "-E", "separator=,", "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst",
            "-e", "arp.src.proto_ipv4", "-e", "arp.dst.proto_ipv4", "-e", "frame.protocols")
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Await.until("tshark capturing", 10_000, () -> readQuietly(err).contains("Capturing on"));
        return process;
    }

    private static String readQuietly(final Path path)
    {
        try
        {
            return Files.readString(path);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /** Nothing of site A on B's underlay: none of A's underlay or public addresses, none of A's switches' MACs. */
    private static void assertPrivacy(final String captured, final Daemon pa, final Daemon a1)
    {
        assertTrue(captured.lines().count() > 10, "the capture saw the conversation:\n" + captured);
        final String aProxyMac = pa.rows("underlay-show").getFirst().get("mac");
        final String a1Mac = a1.rows("underlay-show").getFirst().get("mac");
        final String aPublicMac = pa.rows("proxy-show").getFirst().get("mac");
        for (final String line : captured.lines().toList())
        {
            assertFalse(line.contains("10.1.0."), "site A's underlay address on B's underlay: " + line);
            assertFalse(line.contains("192.0.2.1"), "A's public address on B's underlay: " + line);
            for (final String mac : new String[] {aProxyMac, a1Mac, aPublicMac})
            {
                assertFalse(null != mac && line.toLowerCase().contains(mac.toLowerCase()), "a MAC of site A (" + mac + ") on B's underlay: " + line);
            }
        }
        assertTrue(captured.contains("10.2.0.2"), "B's proxy is all B's host talks to:\n" + captured);
    }
}
