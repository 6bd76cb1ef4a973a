package io.vanswitch.control.federation;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A snapshot of one peer's session for status output.
 *
 * @param dials            this side dials the peer (its address is lower); otherwise it waits for the peer.
 * @param subject          the peer certificate's subject when up, else null.
 * @param notAfter         the peer certificate's expiry when up, else null.
 * @param lastError        why the last session ended or the last attempt failed, null if none.
 * @param drops            messages {@link ProxySessions#send} refused (session not up, queue full) or left unsent.
 * @param protocolErrors   sessions closed for breaking the framing (a frame above 64 KiB, no HELLO first).
 * @param lastRoundTripMicros the last PING's round trip, -1 before the first PONG.
 */
public record PeerStatus(
    String name,
    InetSocketAddress address,
    boolean dials,
    PeerState state,
    String subject,
    Instant notAfter,
    String lastError,
    long sessionsEstablished,
    long messagesSent,
    long messagesReceived,
    long drops,
    long protocolErrors,
    long lastRoundTripMicros)
{
}
