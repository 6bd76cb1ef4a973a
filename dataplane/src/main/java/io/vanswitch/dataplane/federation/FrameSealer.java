package io.vanswitch.dataplane.federation;

import io.vanswitch.bindings.DpdkShim;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The sending side of a federation link's encryption: seals VAN datagrams in place into frames
 * of {@link SealedHeaderFlyweight}'s format, with AES-256-GCM through OpenSSL in one downcall per
 * frame (the JDK's Cipher allocates a parameter object and more per frame). One per (PMD, remote
 * link), used by that PMD's thread only; the lane is the PMD's index, so PMDs sealing under the
 * same key never share a nonce.
 * <p>
 * {@link #seal} allocates nothing, takes no lock and throws nothing: failures are negative results.
 * {@link #rekey} and {@link #close} are not for the packet path but for the same thread, between bursts.
 */
public final class FrameSealer implements AutoCloseable
{
    /** Result: no key yet (or closed). */
    public static final int NO_KEY = -1;
    /** Result: the counter reached {@link #MAX_COUNTER}: the control plane should have rotated long before. */
    public static final int EXHAUSTED = -2;
    /** Result: a negative length, or OpenSSL failed. */
    public static final int FAILED = -3;

    /**
     * Frames per key and lane. Far below the 2^64 the header allows, and below GCM's limits for
     * one key; the control plane rotates on {@link #sealedCount()} well before.
     */
    public static final long MAX_COUNTER = 1L << 40;

    private static final VarHandle SEALED_COUNT;

    static
    {
        try
        {
            SEALED_COUNT = MethodHandles.lookup().findVarHandle(FrameSealer.class, "counter", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final SealedHeaderFlyweight header = new SealedHeaderFlyweight();
    private SealKey key;
    private long context;
    private int keyId;
    private int lane;
    private int nonceFixed;
    /** The last counter used under the current key: also how many frames it sealed. */
    private long counter;

    public FrameSealer()
    {
        DpdkShim.load();
    }

    /**
     * Seals from now on under {@code key} in {@code lane}, counting from 1 again; frees the former key's context.
     *
     * @throws IllegalArgumentException for a lane outside 0..15, or the key this sealer already has
     *                                  (its counters would start again at 1: repeated nonces).
     */
    public void rekey(final SealKey key, final int lane)
    {
        if (lane < 0 || lane >= SealedHeaderFlyweight.LANES)
        {
            throw new IllegalArgumentException("lane " + lane + " not in 0.." + (SealedHeaderFlyweight.LANES - 1));
        }
        if (key.equals(this.key))
        {
            throw new IllegalArgumentException(key + " is already this sealer's key: its nonces would repeat");
        }
        final long newContext = key.newContext(true);
        DpdkShim.aeadFree(context);
        this.key = key;
        context = newContext;
        keyId = key.keyId();
        this.lane = lane;
        nonceFixed = key.nonceFixed(lane);
        SEALED_COUNT.setRelease(this, 0L);
    }

    /**
     * Seals in place: the caller guarantees {@code [12 bytes for the header][plaintext][16 bytes
     * for the tag]} at {@code headerAddress}. Writes the header, encrypts the plaintext where it is
     * and writes the tag after it.
     *
     * @return the sealed length (12 + plaintextLength + 16), or NO_KEY, EXHAUSTED or FAILED; on
     * EXHAUSTED and NO_KEY the memory is unchanged.
     */
    public int seal(final long headerAddress, final int plaintextLength)
    {
        if (0 == context)
        {
            return NO_KEY;
        }
        final long next = counter + 1;
        if (next > MAX_COUNTER)
        {
            return EXHAUSTED;
        }
        if (plaintextLength < 0)
        {
            return FAILED;
        }
        // the counter is used up even when OpenSSL then fails: a nonce is never tried twice
        SEALED_COUNT.setRelease(this, next);
        buffer.wrap(headerAddress, SealedHeaderFlyweight.HEADER_LENGTH);
        header.wrap(buffer, 0).write(keyId, lane, next);
        final long dataAddress = headerAddress + SealedHeaderFlyweight.HEADER_LENGTH;
        if (DpdkShim.aeadSeal(context, nonceFixed, next, headerAddress, SealedHeaderFlyweight.HEADER_LENGTH,
            dataAddress, plaintextLength, dataAddress + plaintextLength) != 0)
        {
            return FAILED;
        }
        return plaintextLength + SealedHeaderFlyweight.OVERHEAD;
    }

    /** Frames sealed under the current key (the last counter used); any thread may read it. */
    public long sealedCount()
    {
        return (long)SEALED_COUNT.getAcquire(this);
    }

    /** The current key's id, -1 when none. */
    public int keyId()
    {
        return null == key ? -1 : keyId;
    }

    public int lane()
    {
        return lane;
    }

    /** For tests: as if {@code sealed} frames had been sealed under the current key. */
    void skipTo(final long sealed)
    {
        SEALED_COUNT.setRelease(this, sealed);
    }

    /** Frees the key's context; {@link #seal} then returns NO_KEY. */
    @Override
    public void close()
    {
        DpdkShim.aeadFree(context);
        context = 0;
        key = null;
    }
}
