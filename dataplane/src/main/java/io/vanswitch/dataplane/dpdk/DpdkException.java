package io.vanswitch.dataplane.dpdk;

/**
 * A DPDK call failed; the message says which call, on what, and DPDK's reason.
 */
public final class DpdkException extends RuntimeException
{
    public DpdkException(final String message)
    {
        super(message);
    }
}
