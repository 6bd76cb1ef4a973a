package io.vanswitch.control.federation;

import io.vanswitch.control.federation.Frames.Frame;
import io.vanswitch.control.federation.Frames.FrameException;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One authenticated TLS connection to a peer: a reader (the thread that calls {@link #readLoop}) and a
 * writer thread of its own. The session is up once the peer's HELLO arrived. The accepting side sends
 * its HELLO first and the dialling side answers it: so the dialler writes nothing before it knows the
 * acceptor took its certificate (in TLS 1.3 the client's handshake ends before the server checked it,
 * and a rejected client's unread data would turn the server's alert into a bare connection reset).
 * Closing the plain socket underneath ends both threads promptly, wherever they are blocked.
 */
final class Session
{
    private static final int CONNECTED = 0;
    private static final int UP = 1;
    private static final int CLOSED = 2;
    private static final int WRITE_BATCH = 64;
    private static final int CONTROL_CAPACITY = 64;

    /** A frame waiting for the writer. */
    private record Outbound(int type, byte[] body)
    {
    }

    private final ProxySessions manager;
    private final Peer peer;
    private final Socket plain;
    private final SSLSocket tls;
    private final String remote;
    private final boolean helloFirst;
    private final long pingIntervalNs;
    private final String subject;
    private final Instant notAfter;
    private final String cipherSuite;
    /** HELLO, PING, PONG: drained before application messages, so a busy session still shows healthy. */
    private final ManyToOneConcurrentArrayQueue<Outbound> control = new ManyToOneConcurrentArrayQueue<>(CONTROL_CAPACITY);
    private final ManyToOneConcurrentArrayQueue<Outbound> messages;
    private volatile Thread writer;
    private volatile long lastReceivedNs;
    private volatile boolean up;
    private volatile boolean everUp;
    private volatile boolean writing;
    private volatile boolean closed;
    private int state = CONNECTED; // guarded by this: orders Up before Down in the event queue

    /**
     * @param helloFirst this side accepted the connection: it sends HELLO at once, the dialler answers it.
     */
    Session(
        final ProxySessions manager,
        final Peer peer,
        final Socket plain,
        final SSLSocket tls,
        final boolean helloFirst,
        final int queueCapacity,
        final long pingIntervalMs) throws IOException
    {
        this.manager = manager;
        this.peer = peer;
        this.plain = plain;
        this.tls = tls;
        this.remote = ProxySessions.describe(plain);
        this.helloFirst = helloFirst;
        this.pingIntervalNs = TimeUnit.MILLISECONDS.toNanos(pingIntervalMs);
        this.messages = new ManyToOneConcurrentArrayQueue<>(queueCapacity);
        final X509Certificate certificate = (X509Certificate)tls.getSession().getPeerCertificates()[0];
        this.subject = PemCredentials.subjectOf(certificate);
        this.notAfter = certificate.getNotAfter().toInstant();
        this.cipherSuite = tls.getSession().getCipherSuite();
        this.lastReceivedNs = System.nanoTime();
    }

    String subject()
    {
        return subject;
    }

    Instant notAfter()
    {
        return notAfter;
    }

    String remote()
    {
        return remote;
    }

    boolean isUp()
    {
        return up;
    }

    /** The session got up at some point: the dialer's backoff starts over. */
    boolean wasEverUp()
    {
        return everUp;
    }

    void start()
    {
        if (helloFirst)
        {
            control.offer(new Outbound(Frames.HELLO, Frames.u64(manager.incarnation())));
            writing = true;
        }
        final Thread thread = manager.newThread("vanswitch-proxy-writer-" + peer.name, this::writeLoop);
        writer = thread;
        thread.start();
    }

    /** From the conductor: queue one application message; false when the queue is full. */
    boolean offer(final int type, final byte[] body)
    {
        if (!messages.offer(new Outbound(type, body)))
        {
            return false;
        }
        LockSupport.unpark(writer);
        return true;
    }

    /** From the sweep: closes a session the peer has been silent on for longer than the timeout. */
    void checkHealth(final long nowNs, final long timeoutNs)
    {
        final long silentNs = nowNs - lastReceivedNs;
        if (silentNs > timeoutNs)
        {
            final long silentMs = TimeUnit.NANOSECONDS.toMillis(silentNs);
            close(up ? "no health answer for " + silentMs + " ms" : "no HELLO within " + silentMs + " ms");
        }
    }

    /** Reads frames until the connection ends; runs on the session's reader thread. */
    void readLoop()
    {
        String reason;
        boolean refused = false;
        try
        {
            final DataInputStream in = new DataInputStream(new BufferedInputStream(tls.getInputStream(), 16 * 1024));
            while (true)
            {
                final Frame frame = Frames.read(in);
                lastReceivedNs = System.nanoTime();
                onFrame(frame);
            }
        }
        catch (final EOFException ex)
        {
            reason = "connection closed by the peer";
        }
        catch (final FrameException ex)
        {
            peer.protocolErrors.incrementAndGet();
            reason = "protocol error: " + ex.getMessage();
        }
        catch (final SSLException ex)
        {
            reason = "TLS: " + PemCredentials.oneLine(ex);
            // before HELLO this is the peer refusing our certificate (an alert after the TLS 1.3 handshake)
            refused = !up;
        }
        catch (final IOException ex)
        {
            reason = PemCredentials.oneLine(ex);
        }
        end(reason, refused);
    }

    private void onFrame(final Frame frame) throws FrameException
    {
        switch (frame.type())
        {
            case Frames.HELLO -> onHello(Frames.u64(frame));
            case Frames.PING ->
            {
                control.offer(new Outbound(Frames.PONG, frame.body()));
                LockSupport.unpark(writer);
            }
            case Frames.PONG ->
                peer.lastRoundTripMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - Frames.u64(frame));
            default ->
            {
                if (frame.type() < Frames.FIRST_APPLICATION_TYPE)
                {
                    return; // a reserved type from a newer version: nothing to do with it
                }
                if (!up)
                {
                    throw new FrameException("message type " + frame.type() + " before HELLO");
                }
                peer.messagesReceived.incrementAndGet();
                manager.emit(new SessionEvent.Message(peer.name, frame.type(), frame.body()));
            }
        }
    }

    private void onHello(final long incarnation) throws FrameException
    {
        synchronized (this)
        {
            if (CLOSED == state)
            {
                return;
            }
            if (UP == state)
            {
                throw new FrameException("a second HELLO");
            }
            if (!helloFirst)
            {
                control.offer(new Outbound(Frames.HELLO, Frames.u64(manager.incarnation())));
                writing = true;
                LockSupport.unpark(writer);
            }
            state = UP;
            up = true;
            everUp = true;
            manager.sessionUp(this, peer, incarnation, cipherSuite);
        }
    }

    private void writeLoop()
    {
        try
        {
            final OutputStream out = new BufferedOutputStream(tls.getOutputStream(), 16 * 1024);
            long nextPingNs = 0;
            while (!closed)
            {
                if (!writing)
                {
                    LockSupport.parkNanos(this, pingIntervalNs);
                    nextPingNs = System.nanoTime();
                    continue;
                }
                int written = 0;
                Outbound frame;
                while (null != (frame = control.poll()))
                {
                    Frames.write(out, frame.type(), frame.body());
                    written++;
                }
                while (written < WRITE_BATCH && null != (frame = messages.poll()))
                {
                    Frames.write(out, frame.type(), frame.body());
                    peer.messagesSent.incrementAndGet();
                    written++;
                }
                final long nowNs = System.nanoTime();
                if (nowNs - nextPingNs >= 0)
                {
                    Frames.write(out, Frames.PING, Frames.u64(nowNs));
                    nextPingNs = nowNs + pingIntervalNs;
                    written++;
                }
                if (written > 0)
                {
                    out.flush();
                }
                else
                {
                    LockSupport.parkNanos(this, nextPingNs - nowNs);
                }
            }
        }
        catch (final IOException ex)
        {
            end("write failed: " + PemCredentials.oneLine(ex), false);
        }
        // what the conductor queued and the peer will never get
        final int unsent = messages.drain(ignore -> {});
        peer.drops.addAndGet(unsent);
    }

    /** Ends the session; only the first reason counts. */
    void close(final String reason)
    {
        end(reason, false);
    }

    private void end(final String reason, final boolean refused)
    {
        synchronized (this)
        {
            if (CLOSED == state)
            {
                return;
            }
            final boolean wasUp = UP == state;
            state = CLOSED;
            up = false;
            closed = true;
            ProxySessions.closeQuietly(plain);
            manager.untrack(plain);
            LockSupport.unpark(writer);
            manager.sessionEnded(this, peer, wasUp, reason, refused);
        }
    }
}
