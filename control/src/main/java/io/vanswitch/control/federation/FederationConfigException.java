package io.vanswitch.control.federation;

/**
 * The federation's configuration cannot be used (a certificate, key or CA file); the message is one
 * line that names the file and says what to do.
 */
public final class FederationConfigException extends RuntimeException
{
    public FederationConfigException(final String message)
    {
        super(message);
    }
}
