package io.vanswitch.control.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Client side of the control socket: one request, its rows, then {@code ok} or {@code error}.
 * Every failure is a {@link ControlException} whose message is one line an operator can act on.
 */
public final class ControlClient implements AutoCloseable
{
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final SocketChannel channel;
    private final Path socketPath;
    private final long timeoutMs;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final CharBuffer readChars = CharBuffer.allocate(64 * 1024);
    /** Stateful, so that a character split between two reads is decoded whole. */
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final StringBuilder pending = new StringBuilder();

    private ControlClient(final SocketChannel channel, final Path socketPath, final long timeoutMs)
    {
        this.channel = channel;
        this.socketPath = socketPath;
        this.timeoutMs = timeoutMs;
    }

    public static ControlClient connect(final Path socketPath)
    {
        return connect(socketPath, DEFAULT_TIMEOUT_MS);
    }

    public static ControlClient connect(final Path socketPath, final long timeoutMs)
    {
        if (!Files.exists(socketPath))
        {
            throw new ControlException("vanswitch is not running: no control socket at " + socketPath +
                " (start it with './vanswitch start', or give --socket)");
        }
        try
        {
            final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try
            {
                channel.connect(UnixDomainSocketAddress.of(socketPath));
            }
            catch (final IOException ex)
            {
                channel.close();
                throw new ControlException("vanswitch is not running: cannot connect to " + socketPath + " (" +
                    ex.getMessage() + "): start it with './vanswitch start'");
            }
            channel.configureBlocking(false);
            return new ControlClient(channel, socketPath, timeoutMs);
        }
        catch (final IOException ex)
        {
            throw new ControlException("cannot open a socket to " + socketPath + ": " + ex.getMessage());
        }
    }

    /**
     * Sends one request and returns the rows of a successful reply.
     *
     * @throws ControlException with the daemon's error message, or what went wrong on the way.
     */
    public List<ControlMessage> call(final ControlMessage request)
    {
        try
        {
            final ByteBuffer out = ByteBuffer.wrap((request.encode() + "\n").getBytes(StandardCharsets.UTF_8));
            final long deadline = System.currentTimeMillis() + timeoutMs;
            try (Selector selector = Selector.open())
            {
                final SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
                while (out.hasRemaining())
                {
                    awaitReady(selector, deadline);
                    channel.write(out);
                }
                key.interestOps(SelectionKey.OP_READ);
                final List<ControlMessage> rows = new ArrayList<>();
                while (true)
                {
                    final String line = nextLine(selector, deadline);
                    final ControlMessage message;
                    try
                    {
                        message = ControlMessage.decode(line);
                    }
                    catch (final ProtocolException ex)
                    {
                        throw new ControlException("unexpected reply from vanswitch at " + socketPath + ": " + ex.getMessage());
                    }
                    switch (message.word())
                    {
                        case "row" -> rows.add(message);
                        case "ok" ->
                        {
                            return rows;
                        }
                        case "error" -> throw new ControlException(
                            null == message.get("message") ? "vanswitch reported an error without a message" : message.get("message"));
                        default -> throw new ControlException("unexpected reply from vanswitch at " + socketPath + ": '" +
                            ControlMessage.printable(message.word()) + "'");
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new ControlException("lost the connection to vanswitch at " + socketPath + ": " + ex.getMessage());
        }
    }

    private void awaitReady(final Selector selector, final long deadline) throws IOException
    {
        final long remaining = deadline - System.currentTimeMillis();
        if (remaining <= 0 || selector.select(remaining) == 0 && System.currentTimeMillis() >= deadline)
        {
            throw new ControlException("vanswitch at " + socketPath + " did not answer within " + timeoutMs + " ms");
        }
        selector.selectedKeys().clear();
    }

    private String nextLine(final Selector selector, final long deadline) throws IOException
    {
        while (true)
        {
            final int newline = pending.indexOf("\n");
            if (newline >= 0)
            {
                final String line = pending.substring(0, newline);
                pending.delete(0, newline + 1);
                return line;
            }
            if (pending.length() > ControlMessage.MAX_LINE_LENGTH)
            {
                throw new ControlException("unexpected reply from vanswitch at " + socketPath + ": line too long");
            }
            awaitReady(selector, deadline);
            final int read = channel.read(readBuffer);
            if (read < 0)
            {
                throw new ControlException("vanswitch at " + socketPath + " closed the connection before answering");
            }
            readBuffer.flip();
            decoder.decode(readBuffer, readChars, false);
            readBuffer.compact();
            pending.append(readChars.flip());
            readChars.clear();
        }
    }

    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // nothing left to do with a socket that fails to close
        }
    }
}
