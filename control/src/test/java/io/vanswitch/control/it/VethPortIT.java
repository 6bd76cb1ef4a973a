package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel endpoints through veth ports (the switch reads its side of each pair through AF_PACKET
 * rings with a vnet header): ping and a TCP transfer between two namespaces whose segments cross the
 * switch whole, with the checksums the endpoint left to the offload done by the receiving kernel
 * (wrong ones would stall the transfer); the pair survives a daemon restart, so the endpoint keeps its
 * namespace and address and traffic resumes without touching it; deleting the port deletes the pair;
 * names in use are refused with a reason.
 */
class VethPortIT
{
    private static final String IP_1 = "10.56.0.1";
    private static final String IP_2 = "10.56.0.2";

    @TempDir
    Path dir;

    @Test
    void pingAndTcpAcrossVethPortsSurviveRestartAndPortDeleteRemovesThePair()
    {
        Environment.require(false, 300);
        Environment.requireExecutable("/usr/bin/iperf3", "apt-get install iperf3");
        Environment.requireExecutable("/usr/sbin/ethtool", "apt-get install ethtool");
        deletePairs();
        Shell.run("ip", "link", "del", "vsitx");
        try (Netns ns1 = new Netns("vsit-veth1");
            Netns ns2 = new Netns("vsit-veth2");
            Daemon daemon = new Daemon(dir, "it-veth").start())
        {
            attachEndpoints(daemon, ns1, ns2);

            assertTrue(ns1.exec("ethtool", "-k", "vsitv1").contains("tcp-segmentation-offload: on"),
                "the endpoint leaves segmentation to the switch's side");
            Await.until("v1's link up (the endpoint's side is up)", 10_000, () -> "up".equals(daemon.port("v1").get("link")));
            assertReachable(daemon, ns1);
            final long framesBefore = Long.parseLong(daemon.port("v1").get("rx_packets"));
            assertTcpTransfer(ns1, ns2);
            final long frames = Long.parseLong(daemon.port("v1").get("rx_packets")) - framesBefore;
            // cut into 1448-byte segments, 20 MB are 14,500 frames; TSO sends segments of up to 64 KiB whole
            assertTrue(frames < 20_000_000 / 1448 / 2, "TCP segments cross the switch whole: " + frames + " frames from ns1");

            // restart: the pair stays, the endpoint keeps namespace and address, traffic resumes untouched
            assertEquals(0, daemon.stop(), "SIGTERM exits 0");
            assertEquals(0, Shell.run("ip", "link", "show", "vsitv1-sw").exitCode(), "the switch's side outlives the daemon");
            daemon.start();
            assertReachable(daemon, ns1);

            // names in use are refused with the reason
            final Daemon.CliResult sameTarget = daemon.vanctlResult("port", "add", "v3", "--van", "1", "--veth", "vsitv1");
            assertNotEquals(0, sameTarget.exitCode());
            assertTrue(sameTarget.err().contains("veth vsitv1 is already used by port v1"), sameTarget.err());
            Shell.ok("ip", "link", "add", "vsitx", "type", "bridge");
            final Daemon.CliResult taken = daemon.vanctlResult("port", "add", "v4", "--van", "1", "--veth", "vsitx");
            assertNotEquals(0, taken.exitCode());
            assertTrue(taken.err().contains("interface vsitx already exists"), taken.err());
            assertEquals(0, Shell.run("ip", "link", "show", "vsitx").exitCode(), "an interface the switch did not make is left alone");

            // port delete removes both sides, the endpoint's wherever it is
            daemon.vanctl("port", "del", "v2");
            assertNotEquals(0, Shell.run("ip", "link", "show", "vsitv2-sw").exitCode(), "the switch's side is gone");
            assertNotEquals(0, Shell.run("ip", "netns", "exec", ns2.name(), "ip", "link", "show", "vsitv2").exitCode(),
                "the endpoint's side is gone from its namespace");
            assertNotEquals(0, ns1.ping(IP_2, 2).exitCode(), "ns2 unreachable without its port");
        }
        finally
        {
            deletePairs();
            Shell.run("ip", "link", "del", "vsitx");
        }
    }

    /**
     * A frame larger than the receiving endpoint's MTU (from an endpoint with a larger one) is refused
     * by the kernel at the switch's send: it is dropped and counted alone, and the frames in the same
     * burst behind it still arrive.
     */
    @Test
    void aFrameTheEndpointRefusesIsDroppedAloneNotWithItsBurst()
    {
        Environment.require(false, 300);
        Environment.requireExecutable("/usr/sbin/ethtool", "apt-get install ethtool");
        deletePairs();
        try (Netns ns1 = new Netns("vsit-veth1");
            Netns ns2 = new Netns("vsit-veth2");
            Daemon daemon = new Daemon(dir, "it-veth-mtu").start())
        {
            attachEndpoints(daemon, ns1, ns2);
            // ns2 sends frames of up to 9000 bytes; ns1 takes 1500
            Shell.ok("ip", "link", "set", "vsitv2-sw", "mtu", "9000");
            ns2.exec("ip", "link", "set", "vsitv2", "mtu", "9000");
            ns2.exec("ip", "neigh", "replace", IP_1, "lladdr", "52:54:00:00:bb:01", "dev", "vsitv2");
            assertPings(daemon, ns2, IP_1, 3);

            final Netns.UdpReceiver receiver = ns1.udpReceiver(IP_1, 9999, 100);
            final long failedBefore = daemon.stat("port", "name", "v1", "drop_tx_failed");
            // 100 small datagrams, each after a 4000-byte one (DF: not fragmented), sent as fast as they go:
            // 200 frames, which the rx ring holds even while the PMD sleeps
            ns2.exec("python3", "-c",
                "import socket\n" +
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
                "s.setsockopt(socket.IPPROTO_IP, 10, 2)\n" + // IP_MTU_DISCOVER = IP_PMTUDISC_DO
                "for i in range(100):\n" +
                "    s.sendto(b'x' * 4000, ('" + IP_1 + "', 9998))\n" +
                "    s.sendto(b'y' * 100, ('" + IP_1 + "', 9999))\n");
            assertEquals("100 [100]", receiver.result(), "every small datagram arrives, though each followed a refused frame: " +
                daemon.vanctl("stats"));
            assertEquals(100, daemon.stat("port", "name", "v1", "drop_tx_failed") - failedBefore,
                "each 4000-byte frame dropped and counted at the port that could not take it");
        }
        finally
        {
            deletePairs();
        }
    }

    /** VAN 1 with veth ports v1 and v2, their endpoints' sides moved into ns1 and ns2. */
    private static void attachEndpoints(final Daemon daemon, final Netns ns1, final Netns ns2)
    {
        daemon.vanctl("van", "add", "1");
        daemon.vanctl("port", "add", "v1", "--van", "1", "--veth", "vsitv1");
        daemon.vanctl("port", "add", "v2", "--van", "1", "--veth", "vsitv2");
        ns1.adopt("vsitv1", IP_1 + "/24", "52:54:00:00:bb:01");
        ns2.adopt("vsitv2", IP_2 + "/24", "52:54:00:00:bb:02");
    }

    /** The switch's sides of both pairs (and with them the endpoints' sides), left by an earlier run or this one. */
    private static void deletePairs()
    {
        Shell.run("ip", "link", "del", "vsitv1-sw");
        Shell.run("ip", "link", "del", "vsitv2-sw");
    }

    private static void assertPings(final Daemon daemon, final Netns from, final String ip, final int count)
    {
        final Shell.Result ping = from.ping(ip, count);
        assertEquals(0, ping.exitCode(), from.name() + " pings " + ip + " through the veth ports:\n" + ping.output() + "\n" +
            daemon.logText());
    }

    private static void assertReachable(final Daemon daemon, final Netns ns1)
    {
        assertPings(daemon, ns1, IP_2, 5);
        assertTrue(daemon.stat("van", "id", "1", "unicast") > 0, "learned unicast, not only flooding");
    }

    /** 20 MB over TCP: every segment's checksum must be right for the receiver to accept it. */
    private static void assertTcpTransfer(final Netns ns1, final Netns ns2)
    {
        final Shell.Result client = ns1.tcpTransfer(ns2, IP_2, "20M", 1);
        assertEquals(0, client.exitCode(), "20 MB over TCP through the veth ports:\n" + client.output());
        assertTrue(client.output().contains("receiver"), client.output());
    }
}
