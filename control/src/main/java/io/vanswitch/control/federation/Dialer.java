package io.vanswitch.control.federation;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The thread that dials one peer (this side's address is the lower): connect from the bind address,
 * TLS handshake, then it is the session's reader until the session ends; then backoff and again.
 * The backoff doubles from 100 ms to 5 s and starts over after a session that got up.
 */
final class Dialer
{
    private final ProxySessions manager;
    private final Peer peer;
    private final Backoff backoff;

    Dialer(final ProxySessions manager, final Peer peer)
    {
        this.manager = manager;
        this.peer = peer;
        final ProxySessions.Settings settings = manager.settings();
        this.backoff = new Backoff(settings.backoffInitialMs(), settings.backoffMaxMs());
    }

    void run()
    {
        while (active())
        {
            final Session session = connect();
            if (null != session)
            {
                session.start();
                session.readLoop();
                if (session.wasEverUp())
                {
                    backoff.reset();
                }
            }
            if (!active())
            {
                return;
            }
            peer.state = PeerState.BACKOFF;
            try
            {
                Thread.sleep(backoff.next());
            }
            catch (final InterruptedException ex)
            {
                return; // removed or closed
            }
        }
    }

    private boolean active()
    {
        return manager.running() && !peer.removed;
    }

    private Session connect()
    {
        peer.state = PeerState.DIALING;
        final Socket plain = new Socket();
        manager.track(plain);
        try
        {
            final InetSocketAddress bind = manager.bindAddress();
            if (!bind.getAddress().isAnyLocalAddress())
            {
                // the peer accepts only from our configured IP: dial from it, not from whatever routing picks
                plain.bind(new InetSocketAddress(bind.getAddress(), 0));
            }
            plain.setTcpNoDelay(true);
            plain.connect(peer.address, (int)manager.settings().connectTimeoutMs());
        }
        catch (final IOException ex)
        {
            return failed(plain, "cannot connect to " + peer.address + ": " + PemCredentials.oneLine(ex));
        }
        peer.state = PeerState.HANDSHAKING;
        try
        {
            final SSLSocket tls = (SSLSocket)manager.socketFactory().createSocket(
                plain, peer.address.getAddress().getHostAddress(), peer.address.getPort(), true);
            TlsContexts.configureClient(tls);
            manager.handshake(plain, tls);
            if (!active())
            {
                return failed(plain, null);
            }
            return manager.dialled(peer, plain, tls);
        }
        catch (final SSLException ex)
        {
            final String reason = "TLS handshake failed: " + PemCredentials.oneLine(ex);
            if (active())
            {
                manager.refused(peer.address.getAddress().getHostAddress() + ":" + peer.address.getPort(), reason);
            }
            return failed(plain, reason);
        }
        catch (final IOException ex)
        {
            return failed(plain, "TLS handshake with " + peer.address + " failed: " + PemCredentials.oneLine(ex));
        }
    }

    private Session failed(final Socket plain, final String reason)
    {
        ProxySessions.closeQuietly(plain);
        manager.untrack(plain);
        if (null != reason && active())
        {
            peer.lastError = reason;
        }
        return null;
    }
}
