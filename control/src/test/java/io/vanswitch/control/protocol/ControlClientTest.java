package io.vanswitch.control.protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ControlClient} against fake daemons that answer with scripted bytes.
 */
class ControlClientTest
{
    @TempDir
    Path dir;

    private ServerSocketChannel fake;
    private CompletableFuture<String> served;

    @AfterEach
    void stop() throws Exception
    {
        if (null != fake)
        {
            fake.close();
        }
        if (null != served)
        {
            served.get(5, TimeUnit.SECONDS);
        }
    }

    /** A one-connection daemon: reads one request line, then sends each chunk with a pause between. */
    private Path fakeDaemon(final byte[]... chunks) throws IOException
    {
        final Path socket = dir.resolve("fake.sock");
        fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        fake.bind(UnixDomainSocketAddress.of(socket));
        served = CompletableFuture.supplyAsync(() ->
        {
            try (SocketChannel channel = fake.accept())
            {
                final StringBuilder request = new StringBuilder();
                final ByteBuffer one = ByteBuffer.allocate(1);
                while (channel.read(one.clear()) > 0 && one.get(0) != '\n')
                {
                    request.append((char)one.get(0));
                }
                for (final byte[] chunk : chunks)
                {
                    channel.write(ByteBuffer.wrap(chunk));
                    Thread.sleep(100);
                }
                return request.toString();
            }
            catch (final IOException | InterruptedException ex)
            {
                throw new RuntimeException(ex);
            }
        });
        return socket;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ControlException callFails(final Path socket)
    {
        try (ControlClient client = ControlClient.connect(socket, 5_000))
        {
            return assertThrows(ControlException.class, () -> client.call(ControlMessage.of("ping")));
        }
    }

    @Test
    void missingSocketMeansNotRunning()
    {
        final Path socket = dir.resolve("no/such/dir/vanswitch.sock");
        final ControlException ex = assertThrows(ControlException.class, () -> ControlClient.connect(socket));
        assertTrue(ex.getMessage().contains("vanswitch is not running"), ex.getMessage());
        assertTrue(ex.getMessage().contains(socket.toString()), ex.getMessage());
    }

    @Test
    void socketWithNobodyListeningMeansNotRunning() throws IOException
    {
        final Path socket = dir.resolve("dead.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        // the socket file outlives the process that made it, as after a crash
        final ControlException ex = assertThrows(ControlException.class, () -> ControlClient.connect(socket));
        assertTrue(ex.getMessage().contains("vanswitch is not running"), ex.getMessage());
    }

    @Test
    void rowsThenOk() throws Exception
    {
        final Path socket = fakeDaemon(bytes("row\tid=1\nrow\tid=2\n"), bytes("ok\n"));
        try (ControlClient client = ControlClient.connect(socket, 5_000))
        {
            final List<ControlMessage> rows = client.call(ControlMessage.of("van-list", "x", "a\tb"));
            assertEquals(List.of("1", "2"), rows.stream().map(r -> r.get("id")).toList());
        }
        assertEquals("van-list\tx=a%09b", served.get(5, TimeUnit.SECONDS));
    }

    @Test
    void errorReplyCarriesTheDaemonsMessage() throws IOException
    {
        final Path socket = fakeDaemon(bytes("error\tmessage=unknown VAN 7: create it%0Afirst\n"));
        assertEquals("unknown VAN 7: create it\nfirst", callFails(socket).getMessage());
    }

    @Test
    void garbageReplyIsUnexpected() throws IOException
    {
        final Path socket = fakeDaemon(bytes("HTTP/1.1 400 Bad Request\r\n"));
        final ControlException ex = callFails(socket);
        assertTrue(ex.getMessage().contains("unexpected reply"), ex.getMessage());
    }

    @Test
    void wellFormedButUnknownReplyIsUnexpected() throws IOException
    {
        final Path socket = fakeDaemon(bytes("hello\tworld=1\n"));
        final ControlException ex = callFails(socket);
        assertTrue(ex.getMessage().contains("unexpected reply") && ex.getMessage().contains("'hello'"), ex.getMessage());
    }

    @Test
    void closedBeforeAnsweringIsReported() throws IOException
    {
        final Path socket = fakeDaemon(bytes("row\tid=1\n"));
        final ControlException ex = callFails(socket);
        assertTrue(ex.getMessage().contains("closed the connection before answering"), ex.getMessage());
    }

    @Test
    void silentDaemonTimesOut() throws IOException
    {
        final Path socket = fakeDaemon(new byte[0], new byte[0], new byte[0], new byte[0], new byte[0], new byte[0]);
        try (ControlClient client = ControlClient.connect(socket, 200))
        {
            final ControlException ex = assertThrows(ControlException.class, () -> client.call(ControlMessage.of("ping")));
            assertTrue(ex.getMessage().contains("did not answer within 200 ms"), ex.getMessage());
        }
    }

    @Test
    void characterSplitBetweenReadsSurvives() throws Exception
    {
        final byte[] umlaut = bytes("\u00fc");
        final Path socket = fakeDaemon(
            new byte[] {'r', 'o', 'w', '\t', 'n', '=', umlaut[0]},
            new byte[] {umlaut[1], '\n', 'o', 'k', '\n'});
        try (ControlClient client = ControlClient.connect(socket, 5_000))
        {
            assertEquals("\u00fc", client.call(ControlMessage.of("ping")).getFirst().get("n"));
        }
    }
}
