package io.vanswitch.control.config;

/**
 * The state file cannot be read, parsed or written; the message names the file and what to do.
 */
public final class StateFileException extends RuntimeException
{
    public StateFileException(final String message)
    {
        super(message);
    }
}
