package io.vanswitch.control.daemon;

import io.vanswitch.control.protocol.ControlMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
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
 * The control thread's idle wait: a request ends it at once, however long it was going to be, and
 * the next poll answers the request; quiet, the wait grows to its maximum.
 */
class ControlIdleStrategyTest
{
    @TempDir
    Path dir;

    private ControlServer server;

    @BeforeEach
    void start() throws IOException
    {
        server = new ControlServer(dir.resolve("vanswitch.sock"));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private static List<ControlMessage> pong(final String line)
    {
        return List.of(ControlMessage.of("row", "answer", "pong"), ControlMessage.of("ok"));
    }

    @Test
    void aRequestEndsAMinuteLongWaitAndTheNextPollAnswersIt() throws Exception
    {
        final CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() ->
        {
            final long start = System.nanoTime();
            server.awaitActivity(60_000);
            return System.nanoTime() - start;
        });
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            client.connect(UnixDomainSocketAddress.of(server.socketPath()));
            // the connection alone ends the wait; the minute would fail the get's deadline
            assertTrue(waited.get(10, TimeUnit.SECONDS) < TimeUnit.SECONDS.toNanos(10));

            client.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.UTF_8)));
            final StringBuilder reply = new StringBuilder();
            final ByteBuffer buffer = ByteBuffer.allocate(256);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            client.configureBlocking(false);
            int work = 0;
            while (!reply.toString().endsWith("ok\n"))
            {
                assertTrue(System.nanoTime() < deadline, "no reply, got: " + reply);
                // what one wait selected must be handled by the poll after it, not left for later
                server.awaitActivity(1_000);
                work += server.poll(ControlIdleStrategyTest::pong);
                buffer.clear();
                if (client.read(buffer) > 0)
                {
                    reply.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
                }
            }
            assertTrue(work >= 2, "accept and read each count as work: " + work);
            assertTrue(reply.toString().startsWith("row\tanswer=pong"), reply.toString());
        }
    }

    @Test
    void aQuietWaitLastsItsTimeout()
    {
        final long start = System.nanoTime();
        server.awaitActivity(50);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void theWaitDoublesToItsMaximumWhileIdleAndWorkResetsIt()
    {
        final ControlIdleStrategy idle = new ControlIdleStrategy(server, 5);
        assertEquals(1, idle.waitMs());
        idle.idle(0);
        assertEquals(2, idle.waitMs());
        idle.idle(0);
        assertEquals(4, idle.waitMs());
        idle.idle(0);
        assertEquals(5, idle.waitMs());
        idle.idle(0);
        assertEquals(5, idle.waitMs());
        idle.idle(3);
        assertEquals(1, idle.waitMs());
    }

    @Test
    void aMaximumBelowOneMillisecondIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new ControlIdleStrategy(server, 0));
    }
}
