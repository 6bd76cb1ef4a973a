package io.vanswitch.dataplane.federation;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the header of a sealed federation frame: the UDP payload that federation proxies
 * exchange between their public addresses, a VAN datagram (VAN header + inner Ethernet frame)
 * encrypted and authenticated with AES-256-GCM. Multi-byte fields are in network byte order.
 *
 * <pre>
 *    0       1       2       3
 *   +-------+-------+-------+-------+
 *   |  ver  | key id| lane  |  rsv  |   ver = 1; key id 0..255 (+1 mod 256 per rotation);
 *   +-------+-------+-------+-------+   lane = the sending PMD's index 0..15; rsv = 0
 *   |                               |
 *   +            counter            +   u64 per (key, lane), from 1: never repeats under a key
 *   |                               |
 *   +-------------------------------+
 *   | ciphertext of the VAN datagram (as long as the plaintext)
 *   +-------------------------------+
 *   | GCM tag (16 bytes)            |
 *   +-------------------------------+
 * </pre>
 * <p>
 * The associated data is the 12 header bytes, so none of them can be altered undetected. The
 * 96-bit nonce is the key's 3 salt bytes, the lane byte and the 8 counter bytes: each sender
 * thread has a lane of its own, so threads sealing under one key never share a nonce, and no
 * nonce needs to travel beyond what the header already carries.
 */
public final class SealedHeaderFlyweight
{
    public static final int VERSION_OFFSET = 0;
    public static final int KEY_ID_OFFSET = 1;
    public static final int LANE_OFFSET = 2;
    public static final int RESERVED_OFFSET = 3;
    public static final int COUNTER_OFFSET = 4;
    public static final int HEADER_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    /** What sealing adds to a plaintext: header and tag. */
    public static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

    public static final int VERSION = 1;
    /** Lanes 0..15: as many sender threads (PMDs) per key as one receiver keeps replay windows for. */
    public static final int LANES = 16;

    private UnsafeBuffer buffer;
    private int offset;

    public SealedHeaderFlyweight wrap(final UnsafeBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int version()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    public int keyId()
    {
        return buffer.getByte(offset + KEY_ID_OFFSET) & 0xFF;
    }

    public int lane()
    {
        return buffer.getByte(offset + LANE_OFFSET) & 0xFF;
    }

    public int reserved()
    {
        return buffer.getByte(offset + RESERVED_OFFSET) & 0xFF;
    }

    public long counter()
    {
        return buffer.getLong(offset + COUNTER_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** Writes a whole header: version 1, the key id, the lane, reserved zero and the counter. */
    public SealedHeaderFlyweight write(final int keyId, final int lane, final long counter)
    {
        // version, key id, lane and reserved in one store, as they appear on the wire
        buffer.putInt(offset + VERSION_OFFSET, (VERSION << 24) | ((keyId & 0xFF) << 16) | ((lane & 0xFF) << 8), ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + COUNTER_OFFSET, counter, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
