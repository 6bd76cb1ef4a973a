package io.vanswitch.control.federation;

import java.time.Instant;

/**
 * What the proxy sessions tell the conductor, delivered on its thread by {@link ProxySessions#poll}.
 */
public sealed interface SessionEvent
{
    /**
     * A session to a peer is up: TLS authenticated both sides and the peer's HELLO arrived.
     *
     * @param peerRestarted the peer's HELLO carries another incarnation than its previous session's:
     *                      it restarted and has lost whatever it was told before.
     */
    record Up(String peer, String subject, Instant notAfter, String cipherSuite, boolean peerRestarted)
        implements SessionEvent
    {
    }

    /** A session that was {@link Up} ended; another is being dialled or awaited. */
    record Down(String peer, String reason) implements SessionEvent
    {
    }

    /** An application message (type 16 and up) from an up session, in the order the peer sent them. */
    record Message(String peer, int type, byte[] body) implements SessionEvent
    {
    }

    /** A connection that was not allowed: an unknown address, or a TLS handshake that failed. */
    record Refused(String remote, String reason) implements SessionEvent
    {
    }
}
