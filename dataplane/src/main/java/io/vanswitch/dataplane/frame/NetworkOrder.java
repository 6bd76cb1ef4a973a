package io.vanswitch.dataplane.frame;

import java.nio.ByteOrder;

/**
 * Between the platform's byte order and network order, for the header fields the packet path
 * reads and writes at native addresses (Unsafe stores in the platform's order). The order is a
 * constant, so the JIT folds the test away: a byte swap on x86, nothing on a big-endian machine.
 */
public final class NetworkOrder
{
    private static final boolean SWAP = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private NetworkOrder()
    {
    }

    /** A 16-bit value as it is stored natively so that memory holds it in network order, and back. */
    public static short swap16(final short value)
    {
        return SWAP ? Short.reverseBytes(value) : value;
    }

    /** A 32-bit value as it is stored natively so that memory holds it in network order, and back. */
    public static int swap32(final int value)
    {
        return SWAP ? Integer.reverseBytes(value) : value;
    }
}
