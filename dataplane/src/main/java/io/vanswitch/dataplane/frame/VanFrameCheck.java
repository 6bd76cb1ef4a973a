package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Validates a VAN header and what follows it, before anything of it is trusted. Every malformed
 * case has its own result, so the packet path counts each as a drop reason of its own.
 */
public enum VanFrameCheck
{
    OK,
    /** Fewer bytes than a VAN header. */
    SHORT,
    /** Version is not 1. */
    BAD_VERSION,
    /** Type 0 or above ANNOUNCE. */
    UNKNOWN_TYPE,
    /** DATA or FLOOD whose inner frame is shorter than an Ethernet header. */
    BAD_INNER_LENGTH;

    /**
     * @param buffer over the VAN payload of a UDP datagram.
     * @param offset of the VAN header in the buffer.
     * @param length bytes from the VAN header to the end of the UDP payload.
     */
    public static VanFrameCheck check(final UnsafeBuffer buffer, final int offset, final int length)
    {
        if (length < VanHeaderFlyweight.HEADER_LENGTH)
        {
            return SHORT;
        }
        final int versionType = buffer.getByte(offset + VanHeaderFlyweight.VERSION_TYPE_OFFSET) & 0xFF;
        if ((versionType >>> 4) != VanHeaderFlyweight.VERSION)
        {
            return BAD_VERSION;
        }
        final int type = versionType & 0xF;
        if (type == 0 || type > VanHeaderFlyweight.MAX_TYPE)
        {
            return UNKNOWN_TYPE;
        }
        if (VanHeaderFlyweight.carriesFrame(type) &&
            length - VanHeaderFlyweight.HEADER_LENGTH < EthernetFlyweight.HEADER_LENGTH)
        {
            return BAD_INNER_LENGTH;
        }
        return OK;
    }
}
