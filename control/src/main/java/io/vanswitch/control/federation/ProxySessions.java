package io.vanswitch.control.federation;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The control sessions between this federation proxy and its peers: TLS 1.3 over TCP, both sides
 * authenticated by certificates from the configured CA. The conductor calls every public method from
 * its one thread and none of them blocks; the sessions run on their own threads (a listener, and a
 * reader and a writer per session) and reach the conductor through {@link #poll}.
 * <p>
 * Both proxies configure each other, so only one dials: the one whose address (IP as an unsigned
 * number, then port) is lower. The other accepts only from the IPs of its configured peers.
 */
public final class ProxySessions implements AutoCloseable
{
    /** Messages queued for one peer's writer before {@link #send} drops. */
    public static final int SEND_QUEUE_CAPACITY = 4096;
    /** Events between the session threads and the conductor; a full queue holds the readers back. */
    public static final int EVENT_QUEUE_CAPACITY = 16 * 1024;
    /** Events one {@link #poll} hands over at most, so one duty cycle stays short. */
    public static final int POLL_LIMIT = 256;
    private static final long CLOSE_JOIN_MS = 2_000;

    /**
     * Timings; {@link #DEFAULTS} unless a test or the configuration says otherwise.
     *
     * @param healthTimeoutMs a session with nothing received for this long is declared lost.
     */
    public record Settings(
        long pingIntervalMs,
        long healthTimeoutMs,
        long backoffInitialMs,
        long backoffMaxMs,
        long connectTimeoutMs,
        long handshakeTimeoutMs)
    {
        public static final Settings DEFAULTS = new Settings(200, 1_500, 100, 5_000, 2_000, 3_000);

        public Settings withHealthTimeoutMs(final long timeoutMs)
        {
            return new Settings(pingIntervalMs, timeoutMs, backoffInitialMs, backoffMaxMs, connectTimeoutMs, handshakeTimeoutMs);
        }
    }

    private final SSLSocketFactory sockets;
    private final InetSocketAddress bindAddress;
    private final InetAddress publicAddress;
    private final Settings settings;
    private final long incarnation;
    private final Map<String, Peer> peers = new ConcurrentSkipListMap<>();
    private final ManyToOneConcurrentArrayQueue<SessionEvent> events =
        new ManyToOneConcurrentArrayQueue<>(EVENT_QUEUE_CAPACITY);
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    /** Every socket not yet closed, so close() can end handshakes and connects too. */
    private final Set<Closeable> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong refusedCount = new AtomicLong();
    private volatile String lastRefusal;
    private volatile String listenError;
    private volatile boolean listening;
    private volatile boolean running;
    private volatile boolean closed;

    /**
     * @param bindAddress   where the listener binds, and the source IP of dialled connections.
     * @param publicAddress this proxy's IP as its peers know it: with the bind port, it decides who dials.
     */
    public ProxySessions(final SSLContext context, final InetSocketAddress bindAddress, final InetAddress publicAddress)
    {
        this(context, bindAddress, publicAddress, Settings.DEFAULTS);
    }

    public ProxySessions(
        final SSLContext context,
        final InetSocketAddress bindAddress,
        final InetAddress publicAddress,
        final Settings settings)
    {
        this.sockets = context.getSocketFactory();
        this.bindAddress = Objects.requireNonNull(bindAddress);
        this.publicAddress = Objects.requireNonNull(publicAddress);
        this.settings = settings;
        long random = 0;
        while (0 == random)
        {
            random = new SecureRandom().nextLong();
        }
        this.incarnation = random;
    }

    // ---- the conductor's API ----

    public void start()
    {
        if (running || closed)
        {
            return;
        }
        running = true;
        newThread("vanswitch-proxy-listener", new Listener(this, bindAddress, settings)::run).start();
        for (final Peer peer : peers.values())
        {
            startDialer(peer);
        }
    }

    /** Stops every thread and closes every socket; emits no more events. Idempotent. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        running = false;
        for (final Peer peer : peers.values())
        {
            stop(peer, "closed");
        }
        for (final Closeable socket : openSockets)
        {
            closeQuietly(socket);
        }
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_JOIN_MS);
        for (final Thread thread : List.copyOf(threads))
        {
            final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            if (leftMs <= 0)
            {
                break;
            }
            try
            {
                thread.join(leftMs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /**
     * Configures a peer proxy (again). The same name with another address replaces the peer.
     *
     * @throws IllegalArgumentException when the address is this proxy's own.
     */
    public void addPeer(final String name, final InetSocketAddress address)
    {
        final Peer existing = peers.get(name);
        if (null != existing)
        {
            if (existing.address.equals(address))
            {
                return;
            }
            removePeer(name);
        }
        final int order = compare(address.getAddress(), address.getPort(), publicAddress, bindAddress.getPort());
        if (0 == order)
        {
            throw new IllegalArgumentException("peer " + name + " has this proxy's own address " + address);
        }
        final Peer peer = new Peer(name, address, order > 0);
        peers.put(name, peer);
        if (running)
        {
            startDialer(peer);
        }
    }

    /** Forgets a peer and closes its session; no Down follows for it. */
    public void removePeer(final String name)
    {
        final Peer peer = peers.remove(name);
        if (null != peer)
        {
            stop(peer, "peer removed");
        }
    }

    /**
     * Queues an application message for a peer's writer. The body is not copied: do not change it after.
     *
     * @param type 16..255.
     * @return false, counted as a drop, when the session is not up or its queue is full.
     */
    public boolean send(final String name, final int type, final byte[] body)
    {
        if (type < Frames.FIRST_APPLICATION_TYPE || type > Frames.MAX_TYPE)
        {
            throw new IllegalArgumentException("message type " + type + " is outside " +
                Frames.FIRST_APPLICATION_TYPE + ".." + Frames.MAX_TYPE);
        }
        if (body.length > Frames.MAX_BODY_LENGTH)
        {
            throw new IllegalArgumentException("message body of " + body.length + " bytes exceeds " + Frames.MAX_BODY_LENGTH);
        }
        final Peer peer = peers.get(name);
        if (null == peer)
        {
            return false;
        }
        final Session session = peer.current.get();
        if (null == session || !session.isUp() || !session.offer(type, body))
        {
            peer.drops.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Hands at most {@link #POLL_LIMIT} events to the handler, on the caller's thread. */
    public int poll(final Consumer<SessionEvent> handler)
    {
        return events.drain(handler, POLL_LIMIT);
    }

    /** One row per configured peer, by name. */
    public List<PeerStatus> status()
    {
        final List<PeerStatus> rows = new ArrayList<>(peers.size());
        for (final Peer peer : peers.values())
        {
            rows.add(peer.status());
        }
        return rows;
    }

    /** Connections refused: unknown addresses and failed TLS handshakes, on either side. */
    public long refusedCount()
    {
        return refusedCount.get();
    }

    /** Why the last connection was refused, null if none was. */
    public String lastRefusal()
    {
        return lastRefusal;
    }

    public boolean isListening()
    {
        return listening;
    }

    /** Why the listener cannot bind (it keeps trying), null while it listens. */
    public String listenError()
    {
        return listenError;
    }

    /** This run's identity in HELLO: peers see a new one after a restart. */
    public long incarnation()
    {
        return incarnation;
    }

    // ---- for the session threads ----

    boolean running()
    {
        return running;
    }

    Settings settings()
    {
        return settings;
    }

    Thread newThread(final String name, final Runnable task)
    {
        final Thread thread = Thread.ofPlatform().daemon(true).name(name).unstarted(() ->
        {
            try
            {
                task.run();
            }
            finally
            {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(thread);
        return thread;
    }

    void listening(final boolean listening, final String error)
    {
        this.listening = listening;
        this.listenError = error;
    }

    /** Offers an event; waits while the conductor is behind rather than lose an Up, Down or message. */
    void emit(final SessionEvent event)
    {
        while (!events.offer(event))
        {
            if (!running)
            {
                return;
            }
            LockSupport.parkNanos(100_000);
        }
    }

    void refused(final String remote, final String reason)
    {
        refusedCount.incrementAndGet();
        lastRefusal = remote + ": " + reason;
        if (running)
        {
            emit(new SessionEvent.Refused(remote, reason));
        }
    }

    /** From the listener: a TCP connection came in. Handshakes run on the session's reader thread. */
    void accepted(final Socket plain)
    {
        final InetAddress remoteIp = plain.getInetAddress();
        Peer accepting = null;
        Peer dialled = null;
        for (final Peer peer : peers.values())
        {
            if (peer.address.getAddress().equals(remoteIp))
            {
                // two peers behind one IP cannot be told apart by the source port: the first one wins
                if (!peer.dials && null == accepting)
                {
                    accepting = peer;
                }
                else if (peer.dials)
                {
                    dialled = peer;
                }
            }
        }
        if (null == accepting)
        {
            final String reason = null == dialled ? "unknown peer " + remoteIp.getHostAddress() :
                "peer " + dialled.name + " dialled in, but this side dials it (its address " + dialled.address +
                " is higher than ours): check both proxies' addresses";
            refused(describe(plain), reason);
            closeQuietly(plain);
            return;
        }
        final Peer peer = accepting;
        track(plain);
        newThread("vanswitch-proxy-reader-" + peer.name, () -> acceptSession(peer, plain)).start();
    }

    private void acceptSession(final Peer peer, final Socket plain)
    {
        final String remote = describe(plain);
        final Session session;
        try
        {
            if (null == peer.current.get())
            {
                peer.state = PeerState.HANDSHAKING;
            }
            final SSLSocket tls = (SSLSocket)sockets.createSocket(
                plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
            TlsContexts.configureServer(tls);
            handshake(plain, tls);
            session = new Session(this, peer, plain, tls, true, SEND_QUEUE_CAPACITY, settings.pingIntervalMs());
        }
        catch (final IOException ex)
        {
            final String reason = "TLS handshake failed: " + PemCredentials.oneLine(ex);
            closeQuietly(plain);
            openSockets.remove(plain);
            if (running && !peer.removed)
            {
                peer.lastError = reason;
                refused(remote, reason);
                if (null == peer.current.get())
                {
                    peer.state = peer.idleState();
                }
            }
            return;
        }
        if (!running || peer.removed)
        {
            closeQuietly(plain);
            openSockets.remove(plain);
            return;
        }
        final Session previous = peer.current.getAndSet(session);
        peer.state = PeerState.HANDSHAKING;
        if (null != previous)
        {
            previous.close("replaced by a new session from " + remote + " (the peer reconnected)");
        }
        session.start();
        session.readLoop();
    }

    /** The dialling side's session: installed by the dialer, which then runs its read loop. */
    Session dialled(final Peer peer, final Socket plain, final SSLSocket tls) throws IOException
    {
        final Session session = new Session(this, peer, plain, tls, false, SEND_QUEUE_CAPACITY, settings.pingIntervalMs());
        final Session previous = peer.current.getAndSet(session);
        if (null != previous)
        {
            previous.close("replaced by a new session");
        }
        return session;
    }

    /** Makes the client or server handshake, bounded in time: a silent peer must not hold the thread. */
    void handshake(final Socket plain, final SSLSocket tls) throws IOException
    {
        plain.setSoTimeout((int)settings.handshakeTimeoutMs());
        tls.startHandshake();
        plain.setSoTimeout(0); // from now on the sweep watches the session, and close() unblocks reads
    }

    SSLSocketFactory socketFactory()
    {
        return sockets;
    }

    InetSocketAddress bindAddress()
    {
        return bindAddress;
    }

    void track(final Closeable socket)
    {
        openSockets.add(socket);
        if (!running)
        {
            closeQuietly(socket); // close() may have swept the set already
        }
    }

    void untrack(final Closeable socket)
    {
        openSockets.remove(socket);
    }

    /** Called under the session's lock: its HELLO arrived. */
    void sessionUp(final Session session, final Peer peer, final long peerIncarnation, final String cipherSuite)
    {
        final long previous = peer.incarnation;
        final boolean restarted = 0 != previous && previous != peerIncarnation;
        peer.incarnation = peerIncarnation;
        peer.sessionsEstablished.incrementAndGet();
        if (peer.current.get() == session)
        {
            peer.state = PeerState.UP;
        }
        if (running && !peer.removed)
        {
            emit(new SessionEvent.Up(peer.name, session.subject(), session.notAfter(), cipherSuite, restarted));
        }
    }

    /** Called under the session's lock, once: it ended. Down only for a session that was Up. */
    void sessionEnded(
        final Session session, final Peer peer, final boolean wasUp, final String reason, final boolean refused)
    {
        if (!running || peer.removed)
        {
            return;
        }
        peer.lastError = reason;
        if (peer.current.compareAndSet(session, null))
        {
            peer.state = peer.idleState();
        }
        if (refused)
        {
            refused(session.remote(), reason);
        }
        if (wasUp)
        {
            emit(new SessionEvent.Down(peer.name, reason));
        }
    }

    /** From the listener, every tick: sessions whose peer went silent are closed. */
    void sweep()
    {
        final long nowNs = System.nanoTime();
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(settings.healthTimeoutMs());
        for (final Peer peer : peers.values())
        {
            final Session session = peer.current.get();
            if (null != session)
            {
                session.checkHealth(nowNs, timeoutNs);
            }
        }
    }

    private void startDialer(final Peer peer)
    {
        if (peer.dials)
        {
            final Thread dialer = newThread("vanswitch-proxy-dialer-" + peer.name, new Dialer(this, peer)::run);
            peer.dialer = dialer;
            dialer.start();
        }
    }

    private static void stop(final Peer peer, final String reason)
    {
        peer.removed = true;
        final Thread dialer = peer.dialer;
        if (null != dialer)
        {
            dialer.interrupt();
        }
        final Session session = peer.current.get();
        if (null != session)
        {
            session.close(reason);
        }
    }

    /** Orders two proxies: IP bytes as an unsigned number (IPv4 before IPv6), then port. */
    static int compare(final InetAddress a, final int aPort, final InetAddress b, final int bPort)
    {
        final byte[] aBytes = a.getAddress();
        final byte[] bBytes = b.getAddress();
        if (aBytes.length != bBytes.length)
        {
            return Integer.compare(aBytes.length, bBytes.length);
        }
        final int byIp = Arrays.compareUnsigned(aBytes, bBytes);
        return 0 != byIp ? byIp : Integer.compare(aPort, bPort);
    }

    static String describe(final Socket socket)
    {
        final InetAddress address = socket.getInetAddress();
        return null == address ? "?" : address.getHostAddress() + ":" + socket.getPort();
    }

    static void closeQuietly(final Closeable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final IOException ignore)
        {
            // closing to end it: nothing left to do if that fails
        }
    }
}
