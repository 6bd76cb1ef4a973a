package io.vanswitch.control.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A veth port's endpoint leaves checksums and segmentation to the "hardware", and the switch carries
 * its TCP segments of up to 64 KiB whole; every other kind of egress gets them done in software, as
 * the kernel does for a device without the feature. Two hosts (namespaces, underlay MTU 1600 on a
 * veth into a bridge), endpoints with MTU 1500: on h1 a veth endpoint and a TAP endpoint, on h2 a
 * veth endpoint. TCP from the veth endpoint to the TAP (segments cut and checksummed for the TAP),
 * back (plain frames into a veth port), and to h2 (cut before encapsulation, as the underlay takes
 * frames of its MTU); TCP over IPv6, and UDP segmentation offload, to the TAP: each transfer fails
 * if a segment or checksum is wrong, and the frame counts show where segments crossed whole and
 * where they were cut.
 */
class VethOffloadIT
{
    private static final String BRIDGE = "vsitob";

    @TempDir
    Path dir;

    private final Resources resources = new Resources();

    @AfterEach
    void tearDown()
    {
        resources.close();
        Shell.run("ip", "link", "del", BRIDGE);
        for (int h = 1; h <= 2; h++)
        {
            Shell.run("ip", "link", "del", "vsitou" + h);
        }
    }

    private Daemon host(final int n)
    {
        final Netns ns = resources.track(new Netns("vsit-o" + n));
        Shell.run("ip", "link", "del", "vsitou" + n);
        Shell.ok("ip", "link", "add", "vsitou" + n, "mtu", "1600", "type", "veth", "peer", "name", "oul" + n, "mtu", "1600");
        Shell.ok("ip", "link", "set", "vsitou" + n, "master", BRIDGE, "up");
        Shell.ok("ip", "link", "set", "oul" + n, "netns", ns.name());
        ns.exec("ip", "link", "set", "oul" + n, "up");
        final Daemon daemon = resources.track(new Daemon(dir.resolve("h" + n), "it-o" + n).inNamespace(ns.name()).start());
        daemon.vanctl("underlay", "set", "--devargs", "net_af_packet_o" + n + ",iface=oul" + n,
            "--ip", "10.78.0." + n + "/24", "--mtu", "1600");
        daemon.vanctl("site", "peer", "add", "10.78.0." + (3 - n));
        daemon.vanctl("van", "add", "1");
        return daemon;
    }

    /** A veth port of the host, its endpoint's side moved from the host's namespace into its own. */
    private Netns vethEndpoint(final Daemon host, final int hostNumber, final String port, final String ip)
    {
        final Netns ns = resources.track(new Netns("vsit-o" + port));
        final String ifname = "vso" + port;
        host.vanctl("port", "add", port, "--van", "1", "--veth", ifname);
        Shell.ok("ip", "netns", "exec", "vsit-o" + hostNumber, "ip", "link", "set", ifname, "netns", ns.name());
        ns.exec("ip", "addr", "add", ip + "/24", "dev", ifname);
        ns.exec("ip", "link", "set", ifname, "up");
        assertTrue(ns.exec("ethtool", "-k", ifname).contains("tcp-segmentation-offload: on"), "the endpoint offloads TSO");
        return ns;
    }

    private static boolean servesVanOne(final Daemon host)
    {
        return host.rows("site-peer-list").stream().anyMatch(row -> "1".equals(row.get("vans")));
    }

    /**
     * Frames and bytes into the switch at one port and out at another over a transfer: TCP segments
     * crossing whole average far above a 1514-byte frame; cut to the MSS they are at most that.
     */
    private record Traffic(Daemon inHost, String inPort, String inDirection, Daemon outHost, String outPort, String outDirection,
        long[] before)
    {
        Traffic(final Daemon inHost, final String inPort, final String inDirection, final Daemon outHost, final String outPort,
            final String outDirection)
        {
            this(inHost, inPort, inDirection, outHost, outPort, outDirection, new long[4]);
            sample(before);
        }

        private void sample(final long[] into)
        {
            into[0] = inHost.stat("port", "name", inPort, inDirection + "_packets");
            into[1] = inHost.stat("port", "name", inPort, inDirection + "_bytes");
            into[2] = outHost.stat("port", "name", outPort, outDirection + "_packets");
            into[3] = outHost.stat("port", "name", outPort, outDirection + "_bytes");
        }

        void assertWholeInCutOut()
        {
            final long[] after = new long[4];
            sample(after);
            final long inFrames = after[0] - before[0];
            final long inAverage = (after[1] - before[1]) / Math.max(1, inFrames);
            final long outFrames = after[2] - before[2];
            final long outAverage = (after[3] - before[3]) / Math.max(1, outFrames);
            assertTrue(inAverage > 4 * 1514, "segments reach the switch whole at " + inPort + ": " + inFrames +
                " frames averaging " + inAverage + " bytes");
            assertTrue(outFrames > 1000 && outAverage <= 1514, "and leave " + outPort + " cut to the MSS: " + outFrames +
                " frames averaging " + outAverage + " bytes");
        }
    }

    private static void assertTransfer(final Netns from, final Netns to, final String toIp, final String what)
    {
        final Shell.Result result = from.tcpTransfer(to, toIp, "20M", 1);
        assertEquals(0, result.exitCode(), what + ":\n" + result.output());
        assertTrue(result.output().contains("receiver"), result.output());
    }

    /** Ten sends of 8000 bytes with UDP_SEGMENT 1000 from a to t: 80 datagrams of 1000 bytes arrive. */
    private void assertUdpSegmentsArriveAsDatagrams(final Netns from, final Netns to)
    {
        final Netns.UdpReceiver receiver = to.udpReceiver("172.17.0.2", 9999, 80);
        from.exec("python3", "-c",
            "import socket\n" +
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
            "s.setsockopt(socket.SOL_UDP, 103, 1000)\n" + // UDP_SEGMENT
            "for i in range(10):\n" +
            "    s.sendto(bytes([i]) * 8000, ('172.17.0.2', 9999))\n");
        assertEquals("80 [1000]", receiver.result(), "eighty 1000-byte datagrams from ten 8000-byte UDP segments");
    }

    @Test
    void segmentsCrossVethPortsWholeAndAreCutForEveryOtherEgress()
    {
        Environment.require(false, 600);
        Environment.requireExecutable("/usr/bin/iperf3", "apt-get install iperf3");
        Environment.requireExecutable("/usr/sbin/ethtool", "apt-get install ethtool");
        Shell.run("ip", "link", "del", BRIDGE);
        Shell.ok("ip", "link", "add", BRIDGE, "type", "bridge");
        Shell.ok("ip", "link", "set", BRIDGE, "up");
        final Daemon h1 = host(1);
        final Daemon h2 = host(2);
        final Netns a = vethEndpoint(h1, 1, "a", "172.17.0.1");
        final Netns r = vethEndpoint(h2, 2, "r", "172.17.0.3");
        final Netns t = resources.track(new Netns("vsit-ot"));
        t.attachTap(h1, "vsit-o1", "t", 1, "172.17.0.2", "52:54:00:17:00:02");
        Await.until("h1 and h2 know each other serves VAN 1", 15_000,
            () -> servesVanOne(h1) && servesVanOne(h2), () -> h1.vanctl("site", "peer", "list") + h2.vanctl("site", "peer", "list"));
        assertEquals(0, a.ping("172.17.0.2", 3).exitCode(), "veth to TAP");
        assertEquals(0, a.ping("172.17.0.3", 3).exitCode(), "veth to h2's veth");

        // veth -> TAP: whole segments in, MSS-sized frames out, with checksums the TAP's kernel checks
        final Traffic aToT = new Traffic(h1, "a", "rx", h1, "t", "tx");
        assertTransfer(a, t, "172.17.0.2", "veth endpoint to TAP endpoint");
        aToT.assertWholeInCutOut();

        // TAP -> veth: frames without offload requests into a packet-socket port
        assertTransfer(t, a, "172.17.0.1", "TAP endpoint to veth endpoint");

        // veth -> h2: cut before encapsulation, as the underlay carries frames of its MTU
        final Traffic aToR = new Traffic(h1, "a", "rx", h2, "r", "tx");
        assertTransfer(a, r, "172.17.0.3", "veth endpoint on h1 to veth endpoint on h2");
        aToR.assertWholeInCutOut();

        // IPv6: the segments' payload length and checksums over the IPv6 pseudo-header
        for (final Netns ns : new Netns[] {a, t})
        {
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=0");
        }
        a.exec("ip", "addr", "add", "fd00:17::1/64", "dev", "vsoa", "nodad");
        t.exec("ip", "addr", "add", "fd00:17::2/64", "dev", "vst", "nodad");
        final Traffic aToT6 = new Traffic(h1, "a", "rx", h1, "t", "tx");
        assertTransfer(a, t, "fd00:17::2", "veth endpoint to TAP endpoint over IPv6");
        aToT6.assertWholeInCutOut();

        // UDP segmentation offload (UDP_SEGMENT): one send of 8000 bytes is one 8000-byte segment to
        // the switch, which must deliver eight 1000-byte datagrams with their checksums to the TAP
        final long udpFramesBefore = h1.stat("port", "name", "a", "rx_packets");
        assertUdpSegmentsArriveAsDatagrams(a, t);
        final long udpFrames = h1.stat("port", "name", "a", "rx_packets") - udpFramesBefore;
        assertTrue(udpFrames < 40, "the UDP segments reached the switch whole: " + udpFrames + " frames for 80 datagrams");

        assertEquals(0, h1.stat("port", "name", "a", "drop_offload_failed"), "every segment could be cut");
    }
}
