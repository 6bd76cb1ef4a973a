package io.vanswitch.dataplane.testing;

/**
 * Builds and reads Ethernet frames as plain byte arrays, written out by hand (not through the
 * flyweights under test).
 */
public final class Frames
{
    public static final int MIN_FRAME_LENGTH = 60;
    public static final int ETHER_TYPE_IPV4 = 0x0800;

    private Frames()
    {
    }

    /** A minimum-size IPv4 frame from {@code source} to {@code destination}. */
    public static byte[] frame(final long destination, final long source)
    {
        return frame(destination, source, ETHER_TYPE_IPV4, MIN_FRAME_LENGTH);
    }

    /** A frame of {@code length} bytes (at least 14); the payload is a recognisable byte pattern. */
    public static byte[] frame(final long destination, final long source, final int etherType, final int length)
    {
        final byte[] frame = new byte[length];
        putMac(frame, 0, destination);
        putMac(frame, 6, source);
        frame[12] = (byte)(etherType >>> 8);
        frame[13] = (byte)etherType;
        for (int i = 14; i < length; i++)
        {
            frame[i] = (byte)(i * 7 + 3);
        }
        return frame;
    }

    /** A frame too short to hold an Ethernet header. */
    public static byte[] runt(final int length)
    {
        final byte[] frame = new byte[length];
        for (int i = 0; i < length; i++)
        {
            frame[i] = 0x02;
        }
        return frame;
    }

    public static long destination(final byte[] frame)
    {
        return mac(frame, 0);
    }

    public static long source(final byte[] frame)
    {
        return mac(frame, 6);
    }

    private static void putMac(final byte[] frame, final int offset, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            frame[offset + i] = (byte)(mac >>> (40 - 8 * i));
        }
    }

    private static long mac(final byte[] frame, final int offset)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (frame[offset + i] & 0xFF);
        }
        return mac;
    }
}
