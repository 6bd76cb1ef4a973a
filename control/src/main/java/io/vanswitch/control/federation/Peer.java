package io.vanswitch.control.federation;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One configured peer proxy: whether this side dials it, its current session, and the counters status
 * shows. Written by the session threads and read by the conductor, hence volatile and atomic fields.
 */
final class Peer
{
    final String name;
    final InetSocketAddress address;
    final boolean dials;
    final AtomicReference<Session> current = new AtomicReference<>();
    final AtomicLong sessionsEstablished = new AtomicLong();
    final AtomicLong messagesSent = new AtomicLong();
    final AtomicLong messagesReceived = new AtomicLong();
    final AtomicLong drops = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    volatile PeerState state;
    volatile String lastError;
    volatile long lastRoundTripMicros = -1;
    /** The incarnation of the peer's last HELLO, 0 before the first: a new one means it restarted. */
    volatile long incarnation;
    volatile boolean removed;
    volatile Thread dialer;

    Peer(final String name, final InetSocketAddress address, final boolean dials)
    {
        this.name = name;
        this.address = address;
        this.dials = dials;
        this.state = dials ? PeerState.DIALING : PeerState.ACCEPTING;
    }

    /** The state to show while there is no session: dialling or waiting for the peer. */
    PeerState idleState()
    {
        return dials ? PeerState.BACKOFF : PeerState.ACCEPTING;
    }

    PeerStatus status()
    {
        final Session session = current.get();
        final boolean up = null != session && session.isUp();
        return new PeerStatus(
            name,
            address,
            dials,
            state,
            up ? session.subject() : null,
            up ? session.notAfter() : null,
            lastError,
            sessionsEstablished.get(),
            messagesSent.get(),
            messagesReceived.get(),
            drops.get(),
            protocolErrors.get(),
            lastRoundTripMicros);
    }
}
