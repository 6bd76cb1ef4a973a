package io.vanswitch.control.federation;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The framing inside a proxy session's TLS stream: u32 length (big-endian, of type and body), u8 type,
 * body. Types below 16 belong to the session itself (HELLO, PING, PONG); 16 and up are the application's.
 */
final class Frames
{
    /** u64 incarnation: the first frame each side sends; the accepting side sends it first. */
    static final int HELLO = 1;
    /** u64 nonce (the sender's System.nanoTime, so the PONG gives the round trip without a table). */
    static final int PING = 2;
    /** u64: the PING's nonce, echoed. */
    static final int PONG = 3;
    static final int FIRST_APPLICATION_TYPE = 16;
    static final int MAX_TYPE = 255;
    /** Largest length field: type and body together. A control message never needs more. */
    static final int MAX_LENGTH = 64 * 1024;
    static final int MAX_BODY_LENGTH = MAX_LENGTH - 1;

    /** A frame that breaks the framing rules: the session is closed with this message as its reason. */
    static final class FrameException extends IOException
    {
        FrameException(final String message)
        {
            super(message);
        }
    }

    /** One decoded frame. */
    record Frame(int type, byte[] body)
    {
    }

    private Frames()
    {
    }

    static void write(final OutputStream out, final int type, final byte[] body) throws IOException
    {
        final int length = 1 + body.length;
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(type);
        out.write(body);
    }

    /**
     * @throws java.io.EOFException when the peer closed the stream.
     * @throws FrameException       when the length is 0 or above 64 KiB: the stream cannot be trusted after.
     */
    static Frame read(final DataInputStream in) throws IOException
    {
        final long length = in.readInt() & 0xFFFF_FFFFL;
        if (length < 1 || length > MAX_LENGTH)
        {
            throw new FrameException("frame length " + length + " is outside 1.." + MAX_LENGTH + " (64 KiB)");
        }
        final int type = in.readUnsignedByte();
        final byte[] body = new byte[(int)length - 1];
        in.readFully(body);
        return new Frame(type, body);
    }

    static byte[] u64(final long value)
    {
        final byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(value >>> (56 - 8 * i));
        }
        return bytes;
    }

    static long u64(final Frame frame) throws FrameException
    {
        if (frame.body().length != 8)
        {
            throw new FrameException("frame type " + frame.type() + " has " + frame.body().length +
                " bytes of body, not 8");
        }
        long value = 0;
        for (final byte b : frame.body())
        {
            value = value << 8 | (b & 0xFF);
        }
        return value;
    }
}
