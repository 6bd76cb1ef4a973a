package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * vhost-user client mode: the VM side (testpmd over virtio-user in server mode) owns the sockets;
 * the switch connects, sees the link go down when the VM dies, and reconnects when it comes back,
 * with traffic flowing again and no operator action.
 */
class VhostClientReconnectIT
{
    @TempDir
    Path dir;

    @Test
    void switchReconnectsWhenTheVmComesBack() throws IOException
    {
        Environment.require(true, 600);
        final Path sock0 = dir.resolve("vm0.sock");
        final Path sock1 = dir.resolve("vm1.sock");
        try (Daemon daemon = new Daemon(dir, "it-client").start())
        {
            daemon.vanctl("van", "add", "7");
            daemon.vanctl("port", "add", "vm0", "--van", "7", "--vhost-user", sock0.toString(), "--client");
            daemon.vanctl("port", "add", "vm1", "--van", "7", "--vhost-user", sock1.toString(), "--client");
            assertEquals("down", daemon.port("vm0").get("link"));
            assertEquals("vhost-user-client", daemon.port("vm0").get("type"));

            for (int round = 1; round <= 2; round++)
            {
                Files.deleteIfExists(sock0);
                Files.deleteIfExists(sock1);
                final Testpmd vm = Testpmd.start(dir, "it-vm" + round, "macswap", List.of(
                    "path=" + sock0 + ",queues=1,server=1", "path=" + sock1 + ",queues=1,server=1"), "--port-topology=loop");
                try
                {
                    Await.until("switch connects to the VM (round " + round + ")", 60_000,
                        () -> "up".equals(daemon.port("vm0").get("link")) && "up".equals(daemon.port("vm1").get("link")),
                        daemon::logText);
                    final long before = daemon.stat("port", "name", "vm1", "tx_packets");
                    vm.command("start tx_first 4");
                    Await.until("traffic through the switch (round " + round + ")", 60_000,
                        () -> daemon.stat("port", "name", "vm1", "tx_packets") > before + 10_000, daemon::logText);
                }
                finally
                {
                    vm.kill();
                }
                Await.until("link down after the VM died (round " + round + ")", 30_000,
                    () -> "down".equals(daemon.port("vm0").get("link")), daemon::logText);
            }
        }
    }
}
