package io.vanswitch.control.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon as an operator meets it: clear failures at start (hugepages, corrupt state), a control
 * socket that survives garbage, one-line CLI errors, and a clean SIGTERM.
 */
class DaemonLifecycleIT
{
    @TempDir
    Path dir;

    @Test
    void missingHugepagesNameTheSetupScript() throws Exception
    {
        Environment.require(false, 0);
        final Shell.Result result = runDaemonToExit("--socket", dir.resolve("s.sock").toString(), "--state-dir",
            dir.resolve("state").toString(), "--mem", "100000", "--eal-prefix", "it-nohuge");
        assertEquals(1, result.exitCode());
        assertTrue(result.output().contains("hugepage-setup/hugepages.sh"), result.output());
    }

    @Test
    void corruptStateFileIsReportedAndNotOverwritten() throws Exception
    {
        Environment.require(false, 300);
        final Path state = dir.resolve("state");
        Files.createDirectories(state);
        final byte[] corrupt = "van-add\tid=1\nport-add\tname=p\tvan=9\ttype=tap\ttarget=x\n\u0000garbage\n".getBytes(StandardCharsets.UTF_8);
        Files.write(state.resolve("vanswitch.state"), corrupt);
        final Shell.Result result = runDaemonToExit("--socket", dir.resolve("s.sock").toString(), "--state-dir", state.toString(),
            "--eal-prefix", "it-corrupt", "--idle", "backoff");
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("corrupt") && result.output().contains("line 3"), result.output());
        assertArrayEquals(corrupt, Files.readAllBytes(state.resolve("vanswitch.state")), "state file untouched");
    }

    @Test
    void controlSocketSurvivesGarbageAndCliErrorsAreOneLine() throws IOException
    {
        Environment.require(false, 300);
        try (Daemon daemon = new Daemon(dir, "it-life").start())
        {
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket())));
            final Random random = new Random(42);
            for (int i = 0; i < 20; i++)
            {
                final byte[] junk = new byte[1 + random.nextInt(3000)];
                random.nextBytes(junk);
                sendRaw(daemon.socket(), junk);
            }
            sendRaw(daemon.socket(), "van-add\tid=99999999\n".getBytes(StandardCharsets.UTF_8));
            sendRaw(daemon.socket(), "x".repeat(200_000).getBytes(StandardCharsets.UTF_8));
            assertTrue(daemon.isAlive());

            daemon.vanctl("van", "add", "3");
            assertTrue(daemon.vanctl("van", "list").contains("3"));

            assertOneLineError(daemon.vanctlResult("port", "add", "p1", "--van", "9", "--tap", "vsitx1"), "unknown VAN 9");
            daemon.vanctl("port", "add", "p1", "--van", "3", "--devargs", "net_null_it0");
            assertOneLineError(daemon.vanctlResult("port", "add", "p1", "--van", "3", "--devargs", "net_null_it1"), "already exists");
            assertOneLineError(daemon.vanctlResult("port", "add", "p2", "--van", "3", "--devargs", "net_null_it2", "--mac", "zz"),
                "bad MAC");
            assertOneLineError(daemon.vanctlResult("port", "add", "p3", "--van", "3", "--devargs", "net_nosuchdriver0"), "cannot create device");
            assertOneLineError(daemon.vanctlResult("van", "del", "3"), "still has ports");
            assertTrue(daemon.vanctl("port", "list").contains("p1"));
            assertFalse(daemon.vanctl("port", "list").contains("p3"));

            assertEquals(0, daemon.stop(), "SIGTERM exits 0");
            assertFalse(Files.exists(daemon.socket()), "socket removed on exit");
            assertOneLineError(daemon.vanctlResult("van", "list"), "not running");
        }
    }

    @Test
    void killedDaemonRestoresItsVhostServerPorts() throws Exception
    {
        Environment.require(false, 300);
        final Path vhost = dir.resolve("vm.sock");
        try (Daemon daemon = new Daemon(dir, "it-killed").start())
        {
            daemon.vanctl("van", "add", "4");
            daemon.vanctl("port", "add", "vm", "--van", "4", "--vhost-user", vhost.toString());
            assertTrue(Files.exists(vhost));
            daemon.kill();
            assertTrue(Files.exists(vhost), "a killed switch leaves its vhost-user socket behind");

            daemon.start();
            assertEquals("down", daemon.port("vm").get("link"), "restored (waiting for its VM), not failed: " + daemon.port("vm"));
            assertTrue(Files.exists(vhost));
        }
    }

    private static void assertOneLineError(final Daemon.CliResult result, final String expected)
    {
        assertTrue(result.exitCode() != 0, "exit status non-zero");
        final List<String> lines = result.err().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + result.err());
        assertTrue(lines.get(0).startsWith("vanctl: ") && lines.get(0).contains(expected), result.err());
    }

    private static void sendRaw(final Path socket, final byte[] bytes)
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.write(ByteBuffer.wrap(new byte[]{ '\n' }));
            channel.shutdownOutput();
            final ByteBuffer reply = ByteBuffer.allocate(4096);
            channel.read(reply);
        }
        catch (final IOException ignore)
        {
            // the daemon may close a garbage connection: that is fine, surviving is what matters
        }
    }

    private static Shell.Result runDaemonToExit(final String... args) throws Exception
    {
        final Process process = new ProcessBuilder(Daemon.command(List.of(args))).redirectErrorStream(true).start();
        process.getOutputStream().close();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Shell.Result(process.waitFor(), output);
    }
}
