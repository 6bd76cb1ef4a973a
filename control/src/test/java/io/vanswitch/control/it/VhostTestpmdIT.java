package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real DPDK end to end: dpdk-testpmd txonly on a vhost-user port of VAN 1, testpmd rxonly on another
 * port of VAN 1, and a third testpmd rxonly on a port of VAN 2. The VAN 1 receiver gets every frame
 * the switch forwarded, the VAN 2 port gets none, and the counters of all three programs agree.
 */
class VhostTestpmdIT
{
    @TempDir
    Path dir;

    @Test
    void framesStayInTheirVanAndCountersAgree()
    {
        Environment.require(true, 700);
        try (Daemon daemon = new Daemon(dir, "it-vhost").start())
        {
            daemon.vanctl("van", "add", "1", "--name", "tenant-a");
            daemon.vanctl("van", "add", "2", "--name", "tenant-b");
            daemon.vanctl("port", "add", "vm-tx", "--van", "1", "--vhost-user", dir.resolve("tx.sock").toString());
            daemon.vanctl("port", "add", "vm-rx", "--van", "1", "--vhost-user", dir.resolve("rx.sock").toString());
            daemon.vanctl("port", "add", "vm-other", "--van", "2", "--vhost-user", dir.resolve("other.sock").toString());
            assertEquals("down", daemon.port("vm-rx").get("link"), "no peer yet");

            try (Testpmd receiver = Testpmd.start(dir, "it-rx", "rxonly", List.of("path=" + dir.resolve("rx.sock") + ",queues=1"));
                Testpmd other = Testpmd.start(dir, "it-other", "rxonly", List.of("path=" + dir.resolve("other.sock") + ",queues=1"));
                Testpmd sender = Testpmd.start(dir, "it-tx", "txonly", List.of("path=" + dir.resolve("tx.sock") + ",queues=1"),
                    "--txpkts=64"))
            {
                for (final String port : List.of("vm-tx", "vm-rx", "vm-other"))
                {
                    Await.until(port + " link up", 30_000, () -> "up".equals(daemon.port(port).get("link")), daemon::logText);
                }
                receiver.command("start");
                other.command("start");
                sender.command("start");
                Await.until("20k frames switched", 120_000,
                    () -> daemon.stat("port", "name", "vm-rx", "tx_packets") >= 20_000, daemon::logText);

                // dynamic sizing: ports and VANs come and go beside the flow without disturbing it
                for (int i = 0; i < 3; i++)
                {
                    final long before = daemon.stat("port", "name", "vm-rx", "tx_packets");
                    daemon.vanctl("van", "add", "30");
                    daemon.vanctl("port", "add", "churn" + i, "--van", "30", "--devargs", "net_null_churn" + i);
                    daemon.vanctl("port", "add", "extra" + i, "--van", "2", "--devargs", "net_null_extra" + i + ",no-rx=1");
                    daemon.vanctl("port", "del", "churn" + i);
                    daemon.vanctl("port", "del", "extra" + i);
                    daemon.vanctl("van", "del", "30");
                    Await.until("flow continues after churn " + i, 30_000,
                        () -> daemon.stat("port", "name", "vm-rx", "tx_packets") > before + 1_000, daemon::logText);
                }
                sender.command("stop");

                // the switch drains what the sender queued, then its counters stop moving
                Await.until("sender's frames all received by the switch", 30_000,
                    () -> sender.portStats(0)[1] == daemon.stat("port", "name", "vm-tx", "rx_packets"),
                    () -> "sender tx " + sender.portStats(0)[1] + ", switch rx " + daemon.stat("port", "name", "vm-tx", "rx_packets"));
                final long switchedIn = daemon.stat("port", "name", "vm-tx", "rx_packets");
                final long switchedOut = daemon.stat("port", "name", "vm-rx", "tx_packets");
                final long txFailed = daemon.stat("port", "name", "vm-rx", "drop_tx_failed");
                assertEquals(switchedIn, switchedOut + txFailed, "every frame in is forwarded or counted as dropped");
                Await.until("receiver got every forwarded frame", 30_000, () -> receiver.portStats(0)[0] == switchedOut,
                    () -> "receiver rx " + receiver.portStats(0)[0] + ", switch tx " + switchedOut);

                assertEquals(0, other.portStats(0)[0], "VAN 2 receiver must see nothing of VAN 1");
                assertEquals(0, daemon.stat("port", "name", "vm-other", "tx_packets"));
                assertEquals(0, daemon.stat("van", "id", "2", "rx_packets"));
                assertEquals(switchedIn, daemon.stat("van", "id", "1", "rx_packets"));
                assertTrue(daemon.stat("pmd", "index", "0", "busy_polls") > 0);
            }
            assertEquals(0, daemon.stop(), "SIGTERM exits 0");
        }
    }
}
