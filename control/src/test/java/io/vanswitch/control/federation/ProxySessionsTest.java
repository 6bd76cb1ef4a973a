package io.vanswitch.control.federation;

import io.vanswitch.control.federation.SessionEvent.Down;
import io.vanswitch.control.federation.SessionEvent.Message;
import io.vanswitch.control.federation.SessionEvent.Refused;
import io.vanswitch.control.federation.SessionEvent.Up;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two proxies on loopback: 127.0.0.1 is the lower address, so it dials 127.0.0.2.
 */
class ProxySessionsTest
{
    private static final InetAddress LOW = address("127.0.0.1");
    private static final InetAddress HIGH = address("127.0.0.2");
    private static final Duration SOON = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static SSLContext siteA;
    private static SSLContext siteB;
    private static SSLContext rogue;
    private static SSLContext pushyRogue;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        pki = new TestPki(dir);
        siteA = TlsContexts.create(pki.credentials("site-a"));
        siteB = TlsContexts.create(pki.credentials("site-b"));
        rogue = TlsContexts.create(pki.credentials("rogue"));
        pushyRogue = PushyKeyManager.context(pki.credentials("rogue"));
    }

    @AfterEach
    void closeAll() throws Exception
    {
        for (final AutoCloseable closeable : toClose)
        {
            closeable.close();
        }
    }

    @Test
    void sessionComesUpAndCarriesMessagesBothWaysInOrder()
    {
        final InetSocketAddress addressA = new InetSocketAddress(LOW, freePort(LOW));
        final InetSocketAddress addressB = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions a = manager(siteA, addressA, "b", addressB);
        final ProxySessions b = manager(siteB, addressB, "a", addressA);
        final Events eventsA = new Events("a", a);
        final Events eventsB = new Events("b", b);

        final Up upAtA = eventsA.await(Up.class, SOON);
        final Up upAtB = eventsB.await(Up.class, SOON);
        assertEquals("b", upAtA.peer());
        assertEquals("CN=site-b", upAtA.subject());
        assertEquals("CN=site-a", upAtB.subject());
        assertTrue(upAtA.cipherSuite().startsWith("TLS_"), upAtA.cipherSuite());
        assertFalse(upAtA.peerRestarted());
        assertTrue(a.status().get(0).dials(), "the lower address dials");
        assertFalse(b.status().get(0).dials());

        final List<byte[]> fromA = bodies(200, 1);
        final List<byte[]> fromB = bodies(200, 2);
        for (int i = 0; i < fromA.size(); i++)
        {
            assertTrue(a.send("b", 16 + i % 4, fromA.get(i)));
            assertTrue(b.send("a", 200, fromB.get(i)));
        }
        for (int i = 0; i < fromA.size(); i++)
        {
            final Message atB = eventsB.await(Message.class, SOON);
            assertEquals("a", atB.peer());
            assertEquals(16 + i % 4, atB.type());
            assertArrayEquals(fromA.get(i), atB.body(), "message " + i + " from a");
            final Message atA = eventsA.await(Message.class, SOON);
            assertEquals(200, atA.type());
            assertArrayEquals(fromB.get(i), atA.body(), "message " + i + " from b");
        }

        final PeerStatus statusA = a.status().get(0);
        assertEquals(PeerState.UP, statusA.state());
        assertEquals("CN=site-b", statusA.subject());
        assertNotNull(statusA.notAfter());
        assertEquals(1, statusA.sessionsEstablished());
        assertEquals(200, statusA.messagesSent());
        assertEquals(200, statusA.messagesReceived());
        assertEquals(0, statusA.drops());
        assertFalse(a.send("nobody", 16, new byte[0]));
        assertEquals(0, a.refusedCount());
    }

    @Test
    void peerWithCertificateFromAnotherCaIsRefusedOnBothSides()
    {
        // the rogue dials (lower address), trusts the real CA and presents its certificate even though
        // the acceptor asks for one from CA1: only the acceptor's check of the client certificate stops it
        final InetSocketAddress rogueAddress = new InetSocketAddress(LOW, freePort(LOW));
        final InetSocketAddress addressB = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions bad = manager(pushyRogue, rogueAddress, "b", addressB);
        final ProxySessions b = manager(siteB, addressB, "a", rogueAddress);
        final Events eventsBad = new Events("rogue", bad);
        final Events eventsB = new Events("b", b);

        final Refused atB = eventsB.await(Refused.class, SOON);
        final Refused atRogue = eventsBad.await(Refused.class, SOON);
        assertTrue(atB.reason().startsWith("TLS handshake failed") && atB.reason().contains("PKIX"), atB.reason());
        assertTrue(atRogue.reason().startsWith("TLS"), atRogue.reason());
        assertFalse(bad.send("b", 16, new byte[] { 1, 2, 3 }), "never up: nothing to send on");

        final List<SessionEvent> seenAtB = eventsB.drainFor(Duration.ofMillis(300));
        assertTrue(seenAtB.stream().noneMatch(event -> event instanceof Up || event instanceof Message), seenAtB.toString());
        assertTrue(eventsBad.all().stream().noneMatch(event -> event instanceof Up), eventsBad.all().toString());
        assertTrue(b.refusedCount() > 0);
        assertTrue(bad.refusedCount() > 0);
        assertEquals(0, b.status().get(0).sessionsEstablished());
        assertEquals(1, bad.status().get(0).drops());
    }

    @Test
    void dialledPeerWithCertificateFromAnotherCaIsRefused()
    {
        final InetSocketAddress addressA = new InetSocketAddress(LOW, freePort(LOW));
        final InetSocketAddress rogueAddress = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions a = manager(siteA, addressA, "b", rogueAddress);
        final ProxySessions bad = manager(rogue, rogueAddress, "a", addressA);
        final Events eventsA = new Events("a", a);
        final Events eventsBad = new Events("rogue", bad);

        final Refused atA = eventsA.await(Refused.class, SOON);
        eventsBad.await(Refused.class, SOON);
        assertTrue(atA.reason().startsWith("TLS handshake failed"), atA.reason());
        assertTrue(eventsA.drainFor(Duration.ofMillis(200)).stream().noneMatch(event -> event instanceof Up));
        assertTrue(eventsBad.all().stream().noneMatch(event -> event instanceof Up));
        assertTrue(a.status().get(0).lastError().startsWith("TLS handshake failed"));
    }

    @Test
    void connectionFromAnUnknownAddressIsRefused() throws Exception
    {
        final InetSocketAddress addressB = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions b = manager(siteB, addressB, "a", new InetSocketAddress(LOW, 1));
        final Events eventsB = new Events("b", b);
        awaitListening(b);

        try (Socket stranger = new Socket())
        {
            stranger.bind(new InetSocketAddress(address("127.0.0.3"), 0));
            stranger.connect(addressB);
            final Refused refused = eventsB.await(Refused.class, SOON);
            assertEquals("unknown peer 127.0.0.3", refused.reason());
            assertEquals(-1, stranger.getInputStream().read(), "closed at once");
        }
        assertEquals(1, b.refusedCount());
        assertTrue(b.lastRefusal().endsWith("unknown peer 127.0.0.3"));
    }

    @Test
    void restartedPeerIsDownThenUpAgain()
    {
        final InetSocketAddress addressA = new InetSocketAddress(LOW, freePort(LOW));
        final InetSocketAddress addressB = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions a = manager(siteA, addressA, "b", addressB);
        final ProxySessions b = manager(siteB, addressB, "a", addressA);
        final Events eventsA = new Events("a", a);
        eventsA.await(Up.class, SOON);
        new Events("b", b).await(Up.class, SOON);

        final long closedNs = System.nanoTime();
        b.close();
        final Down down = eventsA.await(Down.class, SOON);
        final long downMs = (System.nanoTime() - closedNs) / 1_000_000;
        assertEquals("b", down.peer());
        assertTrue(downMs < ProxySessions.Settings.DEFAULTS.healthTimeoutMs(),
            "a closed session is seen at once, not by the health timeout: " + downMs + " ms, " + down.reason());

        final ProxySessions restarted = manager(siteB, addressB, "a", addressA);
        final Events eventsRestarted = new Events("b again", restarted);
        final Up again = eventsA.await(Up.class, SOON);
        eventsRestarted.await(Up.class, SOON);
        assertTrue(again.peerRestarted(), "a new incarnation in the HELLO");
        assertEquals(2, a.status().get(0).sessionsEstablished());
        assertTrue(a.send("b", 17, new byte[] { 42 }));
        assertArrayEquals(new byte[] { 42 }, eventsRestarted.await(Message.class, SOON).body());
    }

    @Test
    void silentPeerIsDeclaredLostAfterTheHealthTimeout() throws Exception
    {
        final long timeoutMs = 600;
        final InetSocketAddress addressA = new InetSocketAddress(LOW, freePort(LOW));
        final InetSocketAddress addressB = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions a = new ProxySessions(siteA, addressA, LOW,
            ProxySessions.Settings.DEFAULTS.withHealthTimeoutMs(timeoutMs));
        toClose.add(a);
        a.addPeer("b", addressB);
        try (FakePeer silent = new FakePeer(siteB, addressB))
        {
            a.start();
            final Events eventsA = new Events("a", a);
            silent.acceptAndHello();
            eventsA.await(Up.class, SOON);
            final long upNs = System.nanoTime();

            final Down down = eventsA.await(Down.class, SOON);
            final long lostAfterMs = (System.nanoTime() - upNs) / 1_000_000;
            assertTrue(down.reason().startsWith("no health answer for "), down.reason());
            assertTrue(lostAfterMs >= timeoutMs - 50, "not before the timeout: " + lostAfterMs + " ms");
            assertTrue(silent.bytesRead() > 0, "the peer did get our HELLO and PINGs, it just never answered");
        }
    }

    @Test
    void oversizedFrameClosesTheSession() throws Exception
    {
        final InetSocketAddress addressA = new InetSocketAddress(LOW, freePort(LOW));
        final InetSocketAddress addressB = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions a = manager(siteA, addressA, "b", addressB);
        try (FakePeer peer = new FakePeer(siteB, addressB))
        {
            final Events eventsA = new Events("a", a);
            peer.acceptAndHello();
            eventsA.await(Up.class, SOON);

            peer.out.writeInt(64 * 1024 + 1);
            peer.out.writeByte(16);
            peer.out.flush();

            final Down down = eventsA.await(Down.class, SOON);
            assertTrue(down.reason().startsWith("protocol error: frame length 65537"), down.reason());
            assertEquals(1, a.status().get(0).protocolErrors());
        }
    }

    @Test
    void bindIsRetriedUntilTheAddressIsFree() throws Exception
    {
        final InetSocketAddress addressA = new InetSocketAddress(LOW, freePort(LOW));
        final ProxySessions a;
        try (ServerSocket squatter = new ServerSocket())
        {
            squatter.bind(addressA);
            a = manager(siteA, addressA, "b", new InetSocketAddress(HIGH, 1));
            final long deadlineNs = System.nanoTime() + SOON.toNanos();
            while (null == a.listenError() && System.nanoTime() < deadlineNs)
            {
                LockSupport.parkNanos(1_000_000);
            }
            assertFalse(a.isListening());
            assertTrue(a.listenError().startsWith("cannot listen on "), a.listenError());
        }
        awaitListening(a);
    }

    @Test
    void closeIsPromptAndIdempotent()
    {
        final InetSocketAddress addressA = new InetSocketAddress(LOW, freePort(LOW));
        final InetSocketAddress addressB = new InetSocketAddress(HIGH, freePort(HIGH));
        final ProxySessions a = manager(siteA, addressA, "b", addressB);
        final ProxySessions b = manager(siteB, addressB, "a", addressA);
        new Events("a", a).await(Up.class, SOON);

        final long startNs = System.nanoTime();
        a.close();
        b.close();
        a.close();
        final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
        assertTrue(tookMs < 1_000, "close took " + tookMs + " ms");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().startsWith("vanswitch-proxy-"))
            .noneMatch(Thread::isAlive), "every session thread ended");
    }

    private ProxySessions manager(
        final SSLContext context, final InetSocketAddress bind, final String peer, final InetSocketAddress peerAddress)
    {
        final ProxySessions sessions = new ProxySessions(context, bind, bind.getAddress());
        toClose.add(sessions);
        sessions.addPeer(peer, peerAddress);
        sessions.start();
        return sessions;
    }

    private static void awaitListening(final ProxySessions sessions)
    {
        final long deadlineNs = System.nanoTime() + SOON.toNanos();
        while (!sessions.isListening())
        {
            assertTrue(System.nanoTime() < deadlineNs, "not listening: " + sessions.listenError());
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static List<byte[]> bodies(final int count, final int seed)
    {
        final List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int length = switch (i % 5)
            {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 1_000;
                case 3 -> 64 * 1024 - 1; // the largest body a frame carries
                default -> i * 37;
            };
            final byte[] body = new byte[length];
            Arrays.fill(body, (byte)(seed * 31 + i));
            if (length > 0)
            {
                body[length - 1] = (byte)i;
            }
            bodies.add(body);
        }
        return bodies;
    }

    private static int freePort(final InetAddress address)
    {
        try (ServerSocket probe = new ServerSocket(0, 1, address))
        {
            return probe.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static InetAddress address(final String text)
    {
        try
        {
            return InetAddress.getByName(text);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A peer proxy reduced to its wire: it accepts with TLS (client auth), sends HELLO, then reads and
     * discards everything and answers nothing, unless the test writes frames itself.
     */
    private static final class FakePeer implements AutoCloseable
    {
        private final ServerSocket server;
        private final SSLContext context;
        private SSLSocket tls;
        DataOutputStream out;
        private volatile long bytesRead;
        private Thread drain;

        FakePeer(final SSLContext context, final InetSocketAddress address) throws IOException
        {
            server = new ServerSocket();
            server.bind(address);
            server.setSoTimeout(5_000);
            this.context = context;
        }

        void acceptAndHello() throws IOException
        {
            final Socket plain = server.accept();
            tls = (SSLSocket)context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            TlsContexts.configureServer(tls);
            tls.startHandshake();
            out = new DataOutputStream(tls.getOutputStream());
            out.writeInt(9);
            out.writeByte(Frames.HELLO);
            out.writeLong(7);
            out.flush();
            final InputStream in = tls.getInputStream();
            drain = Thread.ofPlatform().daemon(true).name("fake-peer-drain").start(() ->
            {
                final byte[] buffer = new byte[4096];
                try
                {
                    int read;
                    while ((read = in.read(buffer)) > 0)
                    {
                        bytesRead += read;
                    }
                }
                catch (final IOException ignore)
                {
                    // closed
                }
            });
        }

        long bytesRead()
        {
            return bytesRead;
        }

        @Override
        public void close() throws Exception
        {
            if (null != tls)
            {
                tls.close();
            }
            server.close();
            if (null != drain)
            {
                drain.join(2_000);
            }
        }
    }
}
