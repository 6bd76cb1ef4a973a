package io.vanswitch.dataplane.federation;

import io.vanswitch.bindings.DpdkShim;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One AES-256-GCM key of a federation link, as the control plane agrees it over TLS: the key id
 * that frames carry (0..255, incremented mod 256 per rotation), the 32 key bytes and the 3 salt
 * bytes that start every nonce under this key. Immutable.
 * <p>
 * A key must be given to a {@link FrameSealer} once only: counters restart at 1 on every rekey,
 * so sealing under the same key twice would repeat nonces, which breaks GCM outright.
 */
public final class SealKey
{
    public static final int KEY_LENGTH = 32;
    public static final int SALT_LENGTH = 3;
    /** {@link #encode()}: the id byte, the key, the salt. */
    public static final int ENCODED_LENGTH = 1 + KEY_LENGTH + SALT_LENGTH;
    public static final int MAX_KEY_ID = 255;

    private final int keyId;
    private final byte[] key;
    private final byte[] salt;

    public SealKey(final int keyId, final byte[] key, final byte[] salt)
    {
        if (keyId < 0 || keyId > MAX_KEY_ID)
        {
            throw new IllegalArgumentException("key id " + keyId + " not in 0.." + MAX_KEY_ID);
        }
        if (key.length != KEY_LENGTH || salt.length != SALT_LENGTH)
        {
            throw new IllegalArgumentException("an AES-256-GCM key is " + KEY_LENGTH + " bytes and its salt " + SALT_LENGTH +
                ", not " + key.length + " and " + salt.length);
        }
        this.keyId = keyId;
        this.key = key.clone();
        this.salt = salt.clone();
    }

    public static SealKey generate(final int keyId, final SecureRandom random)
    {
        final byte[] key = new byte[KEY_LENGTH];
        final byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(key);
        random.nextBytes(salt);
        final SealKey sealKey = new SealKey(keyId, key, salt);
        Arrays.fill(key, (byte)0);
        return sealKey;
    }

    /**
     * @return {@value #ENCODED_LENGTH} bytes: the key id, the key and the salt, for the control plane's TLS session.
     */
    public byte[] encode()
    {
        final byte[] encoded = new byte[ENCODED_LENGTH];
        encoded[0] = (byte)keyId;
        System.arraycopy(key, 0, encoded, 1, KEY_LENGTH);
        System.arraycopy(salt, 0, encoded, 1 + KEY_LENGTH, SALT_LENGTH);
        return encoded;
    }

    public static SealKey decode(final byte[] encoded)
    {
        if (encoded.length != ENCODED_LENGTH)
        {
            throw new IllegalArgumentException("an encoded key is " + ENCODED_LENGTH + " bytes, not " + encoded.length);
        }
        return new SealKey(
            encoded[0] & 0xFF,
            Arrays.copyOfRange(encoded, 1, 1 + KEY_LENGTH),
            Arrays.copyOfRange(encoded, 1 + KEY_LENGTH, ENCODED_LENGTH));
    }

    public int keyId()
    {
        return keyId;
    }

    /** @return a copy of the 32 key bytes. */
    public byte[] key()
    {
        return key.clone();
    }

    /** @return a copy of the 3 salt bytes. */
    public byte[] salt()
    {
        return salt.clone();
    }

    /** The salt and a lane as the nonce's first four bytes (big-endian), as the shim takes them. */
    int nonceFixed(final int lane)
    {
        return ((salt[0] & 0xFF) << 24) | ((salt[1] & 0xFF) << 16) | ((salt[2] & 0xFF) << 8) | (lane & 0xFF);
    }

    /**
     * An OpenSSL AES-256-GCM context for this key, for one direction; the key bytes are in native
     * memory only while OpenSSL computes the key schedule, and wiped after.
     *
     * @return the context's address: the caller frees it with DpdkShim.aeadFree.
     */
    long newContext(final boolean encrypt)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment keyBytes = arena.allocate(KEY_LENGTH);
            MemorySegment.copy(key, 0, keyBytes, ValueLayout.JAVA_BYTE, 0, KEY_LENGTH);
            final long context = DpdkShim.aeadCreate(keyBytes.address(), encrypt);
            keyBytes.fill((byte)0);
            if (0 == context)
            {
                throw new IllegalStateException("OpenSSL could not make an AES-256-GCM context for " + this);
            }
            return context;
        }
    }

    @Override
    public boolean equals(final Object o)
    {
        // MessageDigest.isEqual takes the same time whatever the contents
        return o instanceof SealKey other && keyId == other.keyId &&
            MessageDigest.isEqual(key, other.key) && MessageDigest.isEqual(salt, other.salt);
    }

    @Override
    public int hashCode()
    {
        // the id only: a hash of the key bytes would be a little of the key, wherever it is printed or kept
        return keyId;
    }

    /** The id only: keys never reach logs. */
    @Override
    public String toString()
    {
        return "SealKey[id=" + keyId + "]";
    }
}
