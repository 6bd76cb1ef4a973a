package io.vanswitch.control.federation;

/**
 * Where the session with one peer stands.
 */
public enum PeerState
{
    /** This side dials the peer (its address is lower) and a connection attempt is under way. */
    DIALING,
    /** The peer dials this side: waiting for it. */
    ACCEPTING,
    /** Connected: TLS handshake, or waiting for the peer's HELLO. */
    HANDSHAKING,
    UP,
    /** This side dials, and waits before the next attempt. */
    BACKOFF
}
