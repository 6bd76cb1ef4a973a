package io.vanswitch.control.protocol;

/**
 * A control request failed; the message is one line for the operator.
 */
public final class ControlException extends RuntimeException
{
    public ControlException(final String message)
    {
        super(message);
    }
}
