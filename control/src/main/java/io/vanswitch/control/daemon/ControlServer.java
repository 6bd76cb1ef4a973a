package io.vanswitch.control.daemon;

import io.vanswitch.control.protocol.ControlMessage;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The UNIX-domain control socket (mode 0660: owner and group only), polled without blocking from
 * the control agent's duty cycle. Each connection sends request lines and gets rows then
 * {@code ok}/{@code error} back. Garbage (bad UTF-8, overlong lines, unknown words) gets an error
 * reply or a closed connection, never a crash.
 */
public final class ControlServer implements AutoCloseable
{
    private static final int MAX_CONNECTIONS = 64;

    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Selector selector;
    private int connections;

    public ControlServer(final Path socketPath) throws IOException
    {
        this.socketPath = socketPath;
        Files.createDirectories(socketPath.toAbsolutePath().getParent());
        if (Files.exists(socketPath))
        {
            if (isAlive(socketPath))
            {
                throw new IOException("another vanswitch is already listening on " + socketPath +
                    ": stop it first or give this one another --socket (and --eal-prefix)");
            }
            if (!Files.readAttributes(socketPath, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther())
            {
                throw new IOException(socketPath + " exists and is not a socket: remove it or give another --socket");
            }
            Files.delete(socketPath);
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-rw----"));
        server.configureBlocking(false);
        selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    private static boolean isAlive(final Path socketPath)
    {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            probe.connect(UnixDomainSocketAddress.of(socketPath));
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    public Path socketPath()
    {
        return socketPath;
    }

    /**
     * Accepts connections, reads what arrived, answers complete requests.
     *
     * @return work done (0 when nothing happened).
     */
    public int poll(final Function<String, List<ControlMessage>> handler)
    {
        int work = 0;
        try
        {
            // keys an awaitActivity wait already selected count as well as new ones
            selector.selectNow();
            if (selector.selectedKeys().isEmpty())
            {
                return 0;
            }
        }
        catch (final IOException ex)
        {
            return 0;
        }
        final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext())
        {
            final SelectionKey key = keys.next();
            keys.remove();
            work++;
            try
            {
                if (key.isAcceptable())
                {
                    accept();
                }
                else if (key.isReadable())
                {
                    read(key, handler);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // a failed accept (say, out of file descriptors) must not close the listening socket
                if (key.channel() != server)
                {
                    closeConnection(key);
                }
            }
        }
        return work;
    }

    /**
     * Blocks until a connection or a request arrives, or {@code timeoutMs} passes: the control
     * thread's idle wait (see ControlIdleStrategy). What arrived is handled by the next poll.
     */
    public void awaitActivity(final long timeoutMs)
    {
        try
        {
            selector.select(timeoutMs);
        }
        catch (final IOException | ClosedSelectorException ex)
        {
            // closed or failing: the next poll sees it; the caller's duty cycle goes on
        }
    }

    private void accept() throws IOException
    {
        final SocketChannel channel = server.accept();
        if (null == channel)
        {
            return;
        }
        if (connections >= MAX_CONNECTIONS)
        {
            channel.close();
            return;
        }
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, new Connection());
        connections++;
    }

    private void read(final SelectionKey key, final Function<String, List<ControlMessage>> handler) throws IOException
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        final Connection connection = (Connection)key.attachment();
        final int read = channel.read(connection.in);
        if (read < 0)
        {
            closeConnection(key);
            return;
        }
        connection.in.flip();
        int lineStart = connection.in.position();
        for (int i = connection.in.position(); i < connection.in.limit(); i++)
        {
            if (connection.in.get(i) == '\n')
            {
                final ByteBuffer line = connection.in.slice(lineStart, i - lineStart);
                respond(channel, decode(line), handler);
                lineStart = i + 1;
            }
        }
        connection.in.position(lineStart);
        connection.in.compact();
        if (!connection.in.hasRemaining())
        {
            write(channel, ControlMessage.of("error", "message",
                "request longer than " + ControlMessage.MAX_LINE_LENGTH + " bytes").encode() + "\n");
            closeConnection(key);
        }
    }

    private static String decode(final ByteBuffer line)
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        try
        {
            String text = decoder.decode(line).toString();
            if (text.endsWith("\r"))
            {
                text = text.substring(0, text.length() - 1);
            }
            return text;
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }

    private void respond(
        final SocketChannel channel, final String line, final Function<String, List<ControlMessage>> handler) throws IOException
    {
        final StringBuilder reply = new StringBuilder();
        if (null == line)
        {
            reply.append(ControlMessage.of("error", "message", "request is not valid UTF-8").encode()).append('\n');
        }
        else
        {
            for (final ControlMessage message : handler.apply(line))
            {
                reply.append(message.encode()).append('\n');
            }
        }
        write(channel, reply.toString());
    }

    private static void write(final SocketChannel channel, final String text) throws IOException
    {
        // replies are small and clients read them promptly; bound the wait so a stuck client cannot stall us
        final ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        final long deadline = System.nanoTime() + 1_000_000_000L;
        while (out.hasRemaining())
        {
            if (channel.write(out) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IOException("client not reading");
                }
                Thread.onSpinWait();
            }
        }
    }

    private void closeConnection(final SelectionKey key)
    {
        key.cancel();
        try
        {
            key.channel().close();
        }
        catch (final IOException ignore)
        {
            // already gone
        }
        if (key.attachment() instanceof Connection)
        {
            connections--;
        }
    }

    public void close()
    {
        if (!selector.isOpen())
        {
            return;
        }
        try
        {
            for (final SelectionKey key : selector.keys())
            {
                key.channel().close();
            }
            selector.close();
            server.close();
            Files.deleteIfExists(socketPath);
        }
        catch (final IOException ignore)
        {
            // shutting down: nothing more to do
        }
    }

    private static final class Connection
    {
        final ByteBuffer in = ByteBuffer.allocate(ControlMessage.MAX_LINE_LENGTH + 1);
    }
}
