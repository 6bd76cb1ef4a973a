package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * AF_PACKET ports on two PMDs. A veth port reads one rx ring and writes one tx ring per PMD:
     * frames from both PMDs must leave, each once. A net_af_packet device (devargs) has a socket per
     * queue pair (the operator's qpairs) over which the kernel fans received frames out: every queue
     * must be polled (else flows hashed to the others are lost) and each frame must arrive once.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"veth", "devargs"})
    void afPacketPortsOnTwoPmdsLoseAndDuplicateNothing(final String attach)
    {
        Environment.require(false, 300);
        Environment.requireExecutable("/usr/sbin/ethtool", "apt-get install ethtool");
        Environment.requireExecutable("/usr/bin/iperf3", "apt-get install iperf3");
        try (Netns ns1 = new Netns("vsit-mpv1");
            Netns ns2 = new Netns("vsit-mpv2");
            Daemon daemon = new Daemon(dir, "it-multipmd-" + attach, "--cores", "0,1").start())
        {
            daemon.vanctl("van", "add", "1");
            for (final int i : new int[] {1, 2})
            {
                if ("veth".equals(attach))
                {
                    daemon.vanctl("port", "add", "v" + i, "--van", "1", "--veth", "vsmpv" + i);
                }
                else
                {
                    // the same pair by hand: four queue pairs, more than the PMDs, all polled
                    Shell.ok("ip", "link", "add", "vsmpv" + i, "type", "veth", "peer", "name", "vsmpv" + i + "-sw");
                    Shell.ok("ethtool", "-K", "vsmpv" + i, "tx", "off");
                    Shell.ok("ip", "link", "set", "vsmpv" + i + "-sw", "up");
                    // one queue pair cannot serve two PMDs: refused with what to give
                    final Daemon.CliResult tooFew = daemon.vanctlResult(
                        "port", "add", "v" + i, "--van", "1", "--devargs", "net_af_packet" + i + ",iface=vsmpv" + i + "-sw");
                    assertTrue(tooFew.exitCode() != 0 && tooFew.err().contains("for net_af_packet qpairs=2"), tooFew.err());
                    daemon.vanctl("port", "add", "v" + i, "--van", "1", "--devargs", "net_af_packet" + i + ",iface=vsmpv" + i + "-sw,qpairs=4");
                }
            }
            ns1.adopt("vsmpv1", "10.57.0.1/24", "52:54:00:00:cc:01");
            ns2.adopt("vsmpv2", "10.57.0.2/24", "52:54:00:00:cc:02");

            final Shell.Result ping = Shell.run("ip", "netns", "exec", ns1.name(), "ping", "-c", "20", "-i", "0.05", "-W", "2", "10.57.0.2");
            assertEquals(0, ping.exitCode(), ping.output() + "\n" + daemon.logText());
            assertTrue(ping.output().contains(" 0% packet loss"), ping.output());
            assertFalse(ping.output().contains("DUP!"), "every frame once:\n" + ping.output());
            // four TCP flows hash over the queues: a queue left unpolled would stall the flows on it
            final Shell.Result tcp = ns1.tcpTransfer(ns2, "10.57.0.2", "16M", 4);
            assertEquals(0, tcp.exitCode(), "four TCP flows through af_packet ports on two PMDs:\n" + tcp.output());
        }
        finally
        {
            Shell.run("ip", "link", "del", "vsmpv1-sw");
            Shell.run("ip", "link", "del", "vsmpv2-sw");
        }
    }

    /**
     * With two PMDs a vhost-user port has two queue pairs, and a guest that enables both sends on
     * both: the switch must dequeue every queue the guest sends on, not only the first.
     */
    @Test
    void aMultiQueueGuestIsReadOnEveryQueue()
    {
        Environment.require(true, 600);
        try (Daemon daemon = new Daemon(dir, "it-multipmd-mq", "--cores", "0,1").start())
        {
            daemon.vanctl("van", "add", "1");
            daemon.vanctl("port", "add", "vm-tx", "--van", "1", "--vhost-user", dir.resolve("mq-tx.sock").toString());
            daemon.vanctl("port", "add", "sink", "--van", "1", "--devargs", "net_null_mqsink,no-rx=1");
            try (Testpmd sender = Testpmd.start(dir, "it-mq-tx", "txonly", List.of("path=" + dir.resolve("mq-tx.sock") + ",queues=2"),
                "--txq=2", "--rxq=2", "--txpkts=64"))
            {
                Await.until("vm-tx link up", 30_000, () -> "up".equals(daemon.port("vm-tx").get("link")), daemon::logText);
                sender.command("start");
                Await.until("10k frames in", 60_000, () -> daemon.stat("port", "name", "vm-tx", "rx_packets") >= 10_000, daemon::logText);
                sender.command("stop");
                // every frame the guest sent, on either queue, reaches the switch
                Await.until("the switch received all the guest sent", 30_000,
                    () -> sender.portStats(0)[1] == daemon.stat("port", "name", "vm-tx", "rx_packets"),
                    () -> "guest tx " + sender.portStats(0)[1] + ", switch rx " + daemon.stat("port", "name", "vm-tx", "rx_packets") +
                        "\n" + sender.output());
            }
        }
    }
}
