package io.vanswitch.control.it;

import io.vanswitch.control.federation.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One VAN across three sites whose proxies are fully meshed on one public segment (a Linux bridge):
 * VAN 17 at A (a host and a proxy), 42 at B (a host and a proxy), 7 at C (a proxy with the tenant's
 * port on itself). Every node reaches every other, and a broadcast reaches each site exactly once:
 * split horizon keeps a proxy from passing a peer proxy's frame on to another peer proxy, which in a
 * mesh would loop.
 */
class ThreeSiteIT
{
    private static final String BRIDGE = "vs3br";

    @TempDir
    Path dir;

    private final Resources resources = new Resources();
    private TestPki pki;

    @AfterEach
    void tearDown()
    {
        resources.close();
        Shell.run("ip", "link", "del", BRIDGE);
        for (final String site : List.of("a", "b", "c"))
        {
            Shell.run("ip", "link", "del", "vs3p" + site);
        }
    }

    private <T extends AutoCloseable> T track(final T resource)
    {
        return resources.track(resource);
    }

    private Daemon daemon(final String name, final Netns ns)
    {
        return track(new Daemon(dir.resolve(name), "it-3" + name, "--health-timeout", "800", "--mem", "160").inNamespace(ns.name()).start());
    }

    /** A proxy's public port: a veth whose other end is on the public bridge. */
    private static void publicPort(final String site, final Netns ns)
    {
        Shell.run("ip", "link", "del", "vs3p" + site);
        Shell.ok("ip", "link", "add", "vs3p" + site, "type", "veth", "peer", "name", "pub" + site);
        Shell.ok("ip", "link", "set", "vs3p" + site, "master", BRIDGE, "up");
        Shell.ok("ip", "link", "set", "pub" + site, "netns", ns.name());
        ns.exec("ip", "link", "set", "pub" + site, "up");
    }

    private void proxy(final Daemon proxy, final String site, final int van, final String... peersAndVans)
    {
        proxy.vanctl("van", "add", Integer.toString(van));
        proxy.vanctl("proxy", "enable", "--public-devargs", "net_af_packet_pub" + site + ",iface=pub" + site,
            "--public-ip", "192.0.2." + (site.charAt(0) - 'a' + 1) + "/24", "--cert", pki.cert("site-" + site).toString(),
            "--key", pki.key("site-" + site).toString(), "--ca", pki.ca1.toString());
        for (int i = 0; i < peersAndVans.length; i += 2)
        {
            final String peer = peersAndVans[i];
            proxy.vanctl("proxy", "peer", "add", "site-" + peer, "--address", "192.0.2." + (peer.charAt(0) - 'a' + 1));
            proxy.vanctl("proxy", "map", "site-" + peer, "--local-van", Integer.toString(van), "--remote-van", peersAndVans[i + 1]);
        }
    }

    private static boolean up(final Daemon proxy, final String peer)
    {
        return proxy.rows("proxy-show").stream().anyMatch(row -> "peer".equals(row.get("kind")) && peer.equals(row.get("name")) &&
            "up".equals(row.get("state")) && !"-".equals(row.get("key")) && !"-".equals(row.get("next_hop_mac")));
    }

    @Test
    void aVanSpansThreeMeshedSitesWithoutLoops() throws Exception
    {
        Environment.require(false, 5 * 160);
        Environment.requireExecutable("/usr/bin/openssl", "apt-get install openssl");
        Environment.requireExecutable("/usr/bin/tshark", "apt-get install tshark");
        pki = new TestPki(Files.createDirectories(dir.resolve("pki")), "site-c");

        Shell.run("ip", "link", "del", BRIDGE);
        Shell.ok("ip", "link", "add", BRIDGE, "type", "bridge");
        Shell.ok("ip", "link", "set", BRIDGE, "up");
        final Netns a1Ns = track(new Netns("vs3-a1"));
        final Netns paNs = track(new Netns("vs3-pa"));
        final Netns b1Ns = track(new Netns("vs3-b1"));
        final Netns pbNs = track(new Netns("vs3-pb"));
        final Netns pcNs = track(new Netns("vs3-pc"));
        Netns.wire("vs3a1u", a1Ns, "vs3pau", paNs);
        Netns.wire("vs3b1u", b1Ns, "vs3pbu", pbNs);
        publicPort("a", paNs);
        publicPort("b", pbNs);
        publicPort("c", pcNs);

        final Daemon a1 = daemon("a1", a1Ns);
        final Daemon pa = daemon("pa", paNs);
        final Daemon b1 = daemon("b1", b1Ns);
        final Daemon pb = daemon("pb", pbNs);
        final Daemon pc = daemon("pc", pcNs);
        a1.vanctl("underlay", "set", "--devargs", "net_af_packet_vs3a1u,iface=vs3a1u", "--ip", "10.1.0.1/24");
        a1.vanctl("site", "peer", "add", "10.1.0.2");
        pa.vanctl("underlay", "set", "--devargs", "net_af_packet_vs3pau,iface=vs3pau", "--ip", "10.1.0.2/24");
        pa.vanctl("site", "peer", "add", "10.1.0.1");
        b1.vanctl("underlay", "set", "--devargs", "net_af_packet_vs3b1u,iface=vs3b1u", "--ip", "10.2.0.1/24");
        b1.vanctl("site", "peer", "add", "10.2.0.2");
        pb.vanctl("underlay", "set", "--devargs", "net_af_packet_vs3pbu,iface=vs3pbu", "--ip", "10.2.0.2/24");
        pb.vanctl("site", "peer", "add", "10.2.0.1");
        // site C is its proxy alone: an underlay with no peers, the tenant's port on the proxy itself
        pc.vanctl("underlay", "set", "--devargs", "net_null_vs3c,no-rx=1", "--ip", "10.3.0.1/24");
        a1.vanctl("van", "add", "17");
        b1.vanctl("van", "add", "42");
        proxy(pa, "a", 17, "b", "42", "c", "7");
        proxy(pb, "b", 42, "a", "17", "c", "7");
        proxy(pc, "c", 7, "a", "17", "b", "42");

        final Netns ea = track(new Netns("vs3-ea"));
        final Netns eb = track(new Netns("vs3-eb"));
        final Netns ec = track(new Netns("vs3-ec"));
        ea.attachTap(a1, a1Ns.name(), "ea", 17, "172.16.0.1", "52:54:00:03:00:01");
        eb.attachTap(b1, b1Ns.name(), "eb", 42, "172.16.0.2", "52:54:00:03:00:02");
        ec.attachTap(pc, pcNs.name(), "ec", 7, "172.16.0.3", "52:54:00:03:00:03");

        Await.until("the three sessions and their keys", 40_000, () -> up(pa, "site-b") && up(pa, "site-c") && up(pb, "site-c") &&
            up(pb, "site-a") && up(pc, "site-a") && up(pc, "site-b"));
        for (final Netns from : List.of(ea, eb, ec))
        {
            for (final String to : List.of("172.16.0.1", "172.16.0.2", "172.16.0.3"))
            {
                Await.until(from.name() + " reaches " + to, 30_000, () -> from.ping(to, 1).exitCode() == 0);
            }
        }

        // a broadcast from A: ARP for an address nobody has, seen once at B and once at C for every one sent
        final Process atA = capture(ea, "vsea", "a");
        final Process atB = capture(eb, "vseb", "b");
        final Process atC = capture(ec, "vsec", "c");
        ea.ping("172.16.0.99", 3);
        atA.waitFor();
        atB.waitFor();
        atC.waitFor();
        final long sent = requests("a");
        assertTrue(sent >= 1, "A's node asked for 172.16.0.99");
        assertEquals(sent, requests("b"), () -> "every broadcast reached site B once (no loop, no copy); " + counters(pa, pb, pc));
        assertEquals(sent, requests("c"), () -> "every broadcast reached site C once (no loop, no copy); " + counters(pa, pb, pc));
        System.out.println("ThreeSiteIT: " + sent + " ARP broadcasts from A, each seen once at B and once at C");
    }

    /** ARP requests for 172.16.0.99 on an endpoint's interface, for a few seconds. */
    private Process capture(final Netns ns, final String iface, final String site) throws IOException
    {
        final Path err = dir.resolve("tshark-" + site + ".err");
        final Process process = new ProcessBuilder("ip", "netns", "exec", ns.name(), "tshark", "-l", "-i", iface, "-a", "duration:7",
            "-f", "arp", "-Y", "arp.opcode == 1 && arp.dst.proto_ipv4 == 172.16.0.99", "-T", "fields", "-e", "frame.number")
            .redirectOutput(dir.resolve("arp-" + site + ".txt").toFile()).redirectError(err.toFile()).start();
        Await.until("tshark capturing at " + site, 10_000, () ->
        {
            try
            {
                return Files.readString(err).contains("Capturing on");
            }
            catch (final IOException ex)
            {
                return false;
            }
        });
        return process;
    }

    /** The proxies' peer, underlay (flood copies) and port rows: where a missing frame was dropped, when one is. */
    private static String counters(final Daemon... proxies)
    {
        final StringBuilder text = new StringBuilder();
        for (final Daemon proxy : proxies)
        {
            text.append("\n").append(proxy.rows("proxy-show")).append("\n").append(proxy.rows("underlay-show"))
                .append("\n").append(proxy.rows("stats"));
        }
        return text.toString();
    }

    private long requests(final String site) throws IOException
    {
        return Files.readString(dir.resolve("arp-" + site + ".txt")).lines().filter(l -> !l.isBlank()).count();
    }
}
