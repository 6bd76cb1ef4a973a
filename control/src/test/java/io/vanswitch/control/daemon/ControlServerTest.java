package io.vanswitch.control.daemon;

import io.vanswitch.control.protocol.ControlClient;
import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.control.protocol.ProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control socket end to end with {@link ControlClient}, and what raw garbage does to it.
 */
class ControlServerTest
{
    @TempDir
    Path dir;

    private Path socket;
    private ServerLoop loop;

    /** A stand-in for the command handler: ping answers, anything else is an error. */
    private static List<ControlMessage> handle(final String line)
    {
        try
        {
            final ControlMessage request = ControlMessage.decode(line);
            if (request.word().equals("ping"))
            {
                return List.of(ControlMessage.of("row", "status", "running", "echo", request.get("echo")), ControlMessage.of("ok"));
            }
            return List.of(ControlMessage.of("error", "message", "unknown command " + request.word()));
        }
        catch (final ProtocolException ex)
        {
            return List.of(ControlMessage.of("error", "message", ex.getMessage()));
        }
    }

    @BeforeEach
    void start() throws IOException
    {
        socket = dir.resolve("vanswitch.sock");
        loop = new ServerLoop(socket, ControlServerTest::handle);
    }

    @AfterEach
    void stop() throws InterruptedException
    {
        loop.close();
    }

    private void assertPingWorks()
    {
        try (ControlClient client = ControlClient.connect(socket, 5_000))
        {
            final List<ControlMessage> rows = client.call(ControlMessage.of("ping", "echo", "tab\there"));
            assertEquals(1, rows.size());
            assertEquals("running", rows.getFirst().get("status"));
            assertEquals("tab\there", rows.getFirst().get("echo"));
        }
    }

    private SocketChannel raw() throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    /** Reads one reply line (blocking), or what came before the connection closed. */
    private static String readLine(final SocketChannel channel) throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        final ByteBuffer one = ByteBuffer.allocate(1);
        while (channel.read(one.clear()) > 0)
        {
            if (one.get(0) == '\n')
            {
                break;
            }
            line.write(one.get(0));
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Test
    void requestRoundTrip()
    {
        assertPingWorks();
    }

    @Test
    void severalRequestsOnOneConnection()
    {
        try (ControlClient client = ControlClient.connect(socket, 5_000))
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals(String.valueOf(i), client.call(ControlMessage.of("ping", "echo", String.valueOf(i))).getFirst().get("echo"));
            }
        }
    }

    @Test
    void invalidUtf8GetsAnErrorReply() throws IOException
    {
        try (SocketChannel channel = raw())
        {
            channel.write(ByteBuffer.wrap(new byte[] {'p', 'i', (byte)0xff, (byte)0xc3, '\n'}));
            final String reply = readLine(channel);
            assertEquals("error", ControlMessage.decode(reply).word(), reply);
            assertTrue(reply.contains("not valid UTF-8"), reply);
        }
        assertPingWorks();
    }

    @Test
    void partialLineThenCloseIsHarmless() throws IOException
    {
        try (SocketChannel channel = raw())
        {
            channel.write(ByteBuffer.wrap("ping\techo=never-finished".getBytes(StandardCharsets.UTF_8)));
        }
        assertPingWorks();
    }

    @Test
    void overlongLineEndsTheConnectionButNotTheServer() throws IOException
    {
        try (SocketChannel channel = raw())
        {
            final byte[] line = new byte[100 * 1024];
            java.util.Arrays.fill(line, (byte)'a');
            line[line.length - 1] = '\n';
            String reply;
            try
            {
                channel.write(ByteBuffer.wrap(line));
                reply = readLine(channel);
                // if the reply arrives before the close resets the connection, it says why
                assertTrue(reply.isEmpty() || reply.startsWith("error\t") && reply.contains("request longer than"), reply);
                assertEquals(-1, channel.read(ByteBuffer.allocate(16)), "connection closed");
            }
            catch (final IOException ex)
            {
                // the server closed with our unread bytes queued: the connection is reset, as expected
            }
        }
        assertPingWorks();
    }

    @Test
    void garbageLinesGetErrorsOnTheSameConnection() throws IOException
    {
        try (SocketChannel channel = raw())
        {
            channel.write(ByteBuffer.wrap("\u0001\u0002\nHELLO world\n\nping\techo=1\r\n".getBytes(StandardCharsets.UTF_8)));
            assertTrue(readLine(channel).startsWith("error\t"));
            assertTrue(readLine(channel).startsWith("error\t"));
            assertTrue(readLine(channel).startsWith("error\t"));
            assertEquals("row\tstatus=running\techo=1", readLine(channel), "CRLF is accepted");
            assertEquals("ok", readLine(channel));
        }
        assertPingWorks();
    }

    @Test
    void socketIsOwnerAndGroupOnly() throws IOException
    {
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), Files.getPosixFilePermissions(socket));
    }

    @Test
    void secondServerOnALiveSocketIsRefused()
    {
        final IOException ex = assertThrows(IOException.class, () -> new ControlServer(socket));
        assertTrue(ex.getMessage().contains("already listening"), ex.getMessage());
        assertPingWorks();
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception
    {
        final Path stale = dir.resolve("stale.sock");
        // a socket file left behind by a daemon that died: bound once, nobody listening any more
        try (java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX))
        {
            dead.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale));
        try (ServerLoop second = new ServerLoop(stale, ControlServerTest::handle))
        {
            try (ControlClient client = ControlClient.connect(stale, 5_000))
            {
                assertEquals("running", client.call(ControlMessage.of("ping")).getFirst().get("status"));
            }
        }
    }

    @Test
    void aRegularFileAtTheSocketPathIsNotClobbered() throws Exception
    {
        final Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "precious");
        final java.io.IOException ex = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> new ControlServer(file));
        assertTrue(ex.getMessage().contains("not a socket"), ex.getMessage());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void closingTheServerRemovesTheSocketFile() throws InterruptedException
    {
        assertTrue(Files.exists(socket));
        loop.close();
        assertFalse(Files.exists(socket));
    }
}
