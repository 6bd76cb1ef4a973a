package io.vanswitch.control.protocol;

/**
 * A control message that cannot be understood; the message says why, in one line.
 */
public final class ProtocolException extends RuntimeException
{
    public ProtocolException(final String message)
    {
        super(message);
    }
}
