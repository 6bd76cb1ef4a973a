package io.vanswitch.dataplane.federation;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Sealing and opening through OpenSSL in native memory: round trips, agreement with the JDK's
 * AES-GCM, tampering, truncation, replays, the window's left edge, unknown keys and rotation.
 */
class FrameSealTest
{
    private static final int LANE = 3;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment frame = arena.allocate(2048, 64);
    private final long address = frame.address();
    private final SecureRandom random = new SecureRandom();
    private final FrameSealer sealer = new FrameSealer();
    private final FrameOpener opener = new FrameOpener();

    @AfterEach
    void tearDown()
    {
        sealer.close();
        opener.close();
        arena.close();
    }

    private static byte[] plaintext(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + seed);
        }
        return bytes;
    }

    /** Seals the plaintext at the frame's address and returns the sealed bytes. */
    private byte[] seal(final byte[] plaintext)
    {
        MemorySegment.copy(plaintext, 0, frame, ValueLayout.JAVA_BYTE, SealedHeaderFlyweight.HEADER_LENGTH, plaintext.length);
        final int sealedLength = sealer.seal(address, plaintext.length);
        assertEquals(plaintext.length + SealedHeaderFlyweight.OVERHEAD, sealedLength);
        return frame.asSlice(0, sealedLength).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Puts the sealed bytes at the frame's address and opens them. */
    private int open(final byte[] sealed)
    {
        return open(sealed, sealed.length);
    }

    private int open(final byte[] sealed, final int length)
    {
        MemorySegment.copy(sealed, 0, frame, ValueLayout.JAVA_BYTE, 0, sealed.length);
        return opener.open(address, length);
    }

    private byte[] opened(final int length)
    {
        return frame.asSlice(SealedHeaderFlyweight.HEADER_LENGTH, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private SealKey keys(final int keyId)
    {
        final SealKey key = SealKey.generate(keyId, random);
        opener.install(key);
        sealer.rekey(key, LANE);
        return key;
    }

    @ParameterizedTest
    @ValueSource(ints = { 64, 512, 1500 })
    void roundTrip(final int length)
    {
        keys(9);
        final byte[] plaintext = plaintext(length, length);
        final byte[] sealed = seal(plaintext);
        assertEquals(length + 28, sealed.length);
        assertFalse(Arrays.equals(plaintext, Arrays.copyOfRange(sealed, 12, 12 + length)), "the payload is encrypted");

        final SealedHeaderFlyweight header = new SealedHeaderFlyweight()
            .wrap(new UnsafeBuffer(sealed), 0);
        assertEquals(1, header.version());
        assertEquals(9, header.keyId());
        assertEquals(LANE, header.lane());
        assertEquals(0, header.reserved());
        assertEquals(1, header.counter(), "counters start at 1");

        assertEquals(length, open(sealed));
        assertArrayEquals(plaintext, opened(length));
        assertEquals(1, sealer.sealedCount());
    }

    @Test
    void isTheAesGcmOfTheJdk() throws Exception
    {
        final byte[] keyBytes = plaintext(32, 77);
        final byte[] salt = { (byte)0xA1, (byte)0xB2, (byte)0xC3 };
        sealer.rekey(new SealKey(42, keyBytes, salt), 5);
        final byte[] plaintext = plaintext(100, 1);
        seal(plaintext);
        seal(plaintext);
        final byte[] sealed = seal(plaintext);

        final byte[] header = { 1, 42, 5, 0, 0, 0, 0, 0, 0, 0, 0, 3 };
        assertArrayEquals(header, Arrays.copyOf(sealed, 12), "the third frame's header: counter 3");
        final byte[] nonce = { (byte)0xA1, (byte)0xB2, (byte)0xC3, 5, 0, 0, 0, 0, 0, 0, 0, 3 };
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(header);
        final byte[] expected = cipher.doFinal(plaintext);
        assertArrayEquals(expected, Arrays.copyOfRange(sealed, 12, sealed.length), "ciphertext and tag");
    }

    @Test
    void opensWhatTheJdkSealed() throws Exception
    {
        final SealKey key = keys(7);
        final byte[] header = { 1, 7, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
        final byte[] salt = key.salt();
        final byte[] nonce = { salt[0], salt[1], salt[2], 2, 0, 0, 0, 0, 0, 0, 1, 0 };
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(header);
        final byte[] plaintext = plaintext(300, 9);
        final ByteBuffer sealed = ByteBuffer.allocate(12 + 300 + 16).put(header);
        sealed.put(cipher.doFinal(plaintext));
        assertEquals(300, open(sealed.array()));
        assertArrayEquals(plaintext, opened(300));
    }

    @Test
    void anyFlippedBitFailsAuthentication()
    {
        keys(1);
        final byte[] plaintext = plaintext(200, 5);
        final byte[] sealed = seal(plaintext);
        // {byte, bit}: header bits that still parse (the lane 3 -> 2, reserved, the counter to other
        // fresh values: not 0, not above 2^63), then ciphertext and tag
        final int[][] flips = {
            { 2, 0 }, { 3, 0 }, { 3, 7 }, { 4, 0 }, { 8, 3 }, { 11, 1 }, { 11, 7 },
            { 12, 0 }, { 13, 7 }, { 100, 4 }, { 211, 7 }, { 212, 0 }, { 220, 5 }, { 227, 7 } };
        for (final int[] flip : flips)
        {
            final byte[] tampered = sealed.clone();
            tampered[flip[0]] ^= (byte)(1 << flip[1]);
            assertEquals(FrameOpener.AUTH_FAILED, open(tampered), "byte " + flip[0] + " bit " + flip[1]);
        }
        assertEquals(200, open(sealed), "the genuine frame still opens");
        assertArrayEquals(plaintext, opened(200));
    }

    @Test
    void theHeaderIsCheckedBeforeDecrypting()
    {
        keys(1);
        final byte[] sealed = seal(plaintext(64, 0));
        final byte[] badVersion = sealed.clone();
        badVersion[0] = 2;
        assertEquals(FrameOpener.BAD_VERSION, open(badVersion));
        final byte[] badLane = sealed.clone();
        badLane[2] = 16;
        assertEquals(FrameOpener.BAD_LANE, open(badLane));
        final byte[] otherKey = sealed.clone();
        otherKey[1] = 2;
        assertEquals(FrameOpener.UNKNOWN_KEY, open(otherKey));
        final byte[] zeroCounter = sealed.clone();
        Arrays.fill(zeroCounter, 4, 12, (byte)0);
        assertEquals(FrameOpener.TOO_OLD, open(zeroCounter));
    }

    @Test
    void truncatedFramesAreShortOrFailAuthentication()
    {
        keys(1);
        final byte[] sealed = seal(plaintext(64, 0));
        assertEquals(FrameOpener.SHORT, open(sealed, 28), "nothing but header and tag");
        assertEquals(FrameOpener.SHORT, open(sealed, 0));
        assertEquals(FrameOpener.SHORT, open(sealed, 11));
        assertEquals(FrameOpener.AUTH_FAILED, open(sealed, 29));
        assertEquals(FrameOpener.AUTH_FAILED, open(sealed, sealed.length - 1));
        assertEquals(FrameOpener.AUTH_FAILED, open(Arrays.copyOf(sealed, sealed.length + 1)), "a byte added");
        assertEquals(64, open(sealed));
    }

    @Test
    void aFrameOpensOnce()
    {
        keys(1);
        final byte[] sealed = seal(plaintext(64, 0));
        assertEquals(64, open(sealed));
        assertEquals(FrameOpener.REPLAYED, open(sealed));
        assertEquals(FrameOpener.REPLAYED, open(sealed));
    }

    @Test
    void outOfOrderWithinTheWindowOpensOnceEach()
    {
        keys(1);
        final byte[][] frames = new byte[50][];
        for (int i = 0; i < frames.length; i++)
        {
            frames[i] = seal(plaintext(64, i));
        }
        final int[] order = { 49, 3, 0, 48, 25, 1, 2 };
        for (final int i : order)
        {
            assertEquals(64, open(frames[i]), "frame " + i);
            assertArrayEquals(plaintext(64, i), opened(64));
        }
        for (final int i : order)
        {
            assertEquals(FrameOpener.REPLAYED, open(frames[i]), "frame " + i + " again");
        }
    }

    @Test
    void framesLeftOfTheWindowAreTooOld()
    {
        keys(1);
        final byte[] first = seal(plaintext(64, 0));
        for (int i = 1; i < ReplayWindow.WINDOW_SIZE; i++)
        {
            seal(plaintext(64, 0));
        }
        final byte[] last = seal(plaintext(64, 0));
        assertEquals(64, open(last));
        assertEquals(FrameOpener.TOO_OLD, open(first));
    }

    @Test
    void lanesHaveWindowsOfTheirOwn()
    {
        final SealKey key = keys(1);
        final byte[] fromLane3 = seal(plaintext(64, 0));
        try (FrameSealer other = new FrameSealer())
        {
            other.rekey(key, 4);
            MemorySegment.copy(plaintext(64, 0), 0, frame, ValueLayout.JAVA_BYTE, 12, 64);
            assertEquals(92, other.seal(address, 64));
            final byte[] fromLane4 = frame.asSlice(0, 92).toArray(ValueLayout.JAVA_BYTE);
            assertFalse(Arrays.equals(fromLane3, fromLane4), "same key and counter, other lane: other nonce");
            assertEquals(64, open(fromLane4));
            assertEquals(64, open(fromLane3), "counter 1 in lane 3 is not counter 1 in lane 4");
        }
    }

    @Test
    void unknownKeysAreDropped()
    {
        keys(1);
        final byte[] sealed = seal(plaintext(64, 0));
        opener.close();
        opener.install(SealKey.generate(2, random));
        assertEquals(FrameOpener.UNKNOWN_KEY, open(sealed));
    }

    @Test
    void theSameKeyIdWithOtherBytesFailsAuthentication()
    {
        keys(1);
        final byte[] sealed = seal(plaintext(64, 0));
        opener.install(SealKey.generate(1, random));
        assertEquals(FrameOpener.AUTH_FAILED, open(sealed));
    }

    @Test
    void afterRotationThePreviousKeyStillOpensAndTheOneBeforeNot()
    {
        keys(255);
        final byte[] underFirst = seal(plaintext(64, 1));
        keys(0);
        final byte[] underSecond = seal(plaintext(64, 2));
        final byte[] alsoUnderSecond = seal(plaintext(64, 4));
        assertEquals(0, opener.currentKeyId());
        assertEquals(255, opener.previousKeyId());
        assertEquals(64, open(underFirst), "in flight across the rotation");
        assertEquals(64, open(underSecond));
        keys(1);
        final byte[] underThird = seal(plaintext(64, 3));
        assertEquals(FrameOpener.UNKNOWN_KEY, open(underFirst.clone()), "two rotations ago");
        assertEquals(64, open(alsoUnderSecond));
        assertEquals(FrameOpener.REPLAYED, open(underSecond), "the previous key kept its windows");
        assertEquals(64, open(underThird));
        assertArrayEquals(plaintext(64, 3), opened(64));
        assertEquals(1, sealer.sealedCount(), "counting again from 1 under the new key");
    }

    @Test
    void reinstallingTheCurrentKeyKeepsItsWindows()
    {
        final SealKey key = keys(1);
        final byte[] sealed = seal(plaintext(64, 0));
        assertEquals(64, open(sealed));
        opener.install(key);
        assertEquals(FrameOpener.REPLAYED, open(sealed));
        final SealKey next = SealKey.generate(2, random);
        opener.install(next);
        assertThrows(IllegalArgumentException.class, () -> opener.install(key), "the previous key again");
    }

    @Test
    void aForgedFrameDoesNotUseUpItsCounter()
    {
        keys(1);
        final byte[] genuine = seal(plaintext(64, 0));
        final byte[] forged = genuine.clone();
        forged[40] ^= 1;
        assertEquals(FrameOpener.AUTH_FAILED, open(forged));
        final byte[] forgedTag = genuine.clone();
        forgedTag[genuine.length - 1] ^= (byte)0x80;
        assertEquals(FrameOpener.AUTH_FAILED, open(forgedTag));
        assertEquals(64, open(genuine), "its counter is still free");
        assertArrayEquals(plaintext(64, 0), opened(64));
    }

    @Test
    void noKeyNoSeal()
    {
        MemorySegment.copy(plaintext(64, 0), 0, frame, ValueLayout.JAVA_BYTE, 12, 64);
        assertEquals(FrameSealer.NO_KEY, sealer.seal(address, 64));
        final UnsafeBuffer buffer = new UnsafeBuffer(address, 12);
        new SealedHeaderFlyweight().wrap(buffer, 0).write(0, 0, 1);
        assertEquals(FrameOpener.UNKNOWN_KEY, opener.open(address, 64 + 28));
        final SealKey key = keys(1);
        assertThrows(IllegalArgumentException.class, () -> sealer.rekey(key, LANE), "the same key again: nonces would repeat");
        assertThrows(IllegalArgumentException.class, () -> sealer.rekey(SealKey.generate(2, random), 16));
        sealer.close();
        assertEquals(FrameSealer.NO_KEY, sealer.seal(address, 64));
    }

    @Test
    void theCounterHasALimit()
    {
        keys(1);
        sealer.skipTo(FrameSealer.MAX_COUNTER - 1);
        final byte[] last = seal(plaintext(64, 0));
        assertEquals(FrameSealer.MAX_COUNTER, new SealedHeaderFlyweight().wrap(new UnsafeBuffer(last), 0).counter());
        assertEquals(64, open(last));
        frame.fill((byte)0x5A);
        assertEquals(FrameSealer.EXHAUSTED, sealer.seal(address, 64));
        assertEquals(0x5A, frame.get(ValueLayout.JAVA_BYTE, 0), "nothing written");
        assertEquals(FrameSealer.MAX_COUNTER, sealer.sealedCount());
        keys(2);
        assertEquals(92, sealer.seal(address, 64), "a new key, a new count");
    }

    @Test
    void headerLayout()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[14]);
        final SealedHeaderFlyweight header = new SealedHeaderFlyweight().wrap(buffer, 2).write(0xAB, 15, 0x0102_0304_0506_0708L);
        final byte[] wire = new byte[12];
        buffer.getBytes(2, wire);
        assertArrayEquals(new byte[]{ 1, (byte)0xAB, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, wire);
        assertEquals(0xAB, header.keyId());
        assertEquals(15, header.lane());
        assertEquals(0x0102_0304_0506_0708L, header.counter());
        assertEquals(28, SealedHeaderFlyweight.OVERHEAD);
    }

    @Test
    void reasonsHaveCounterNames()
    {
        final String[] names = new String[FrameOpener.REASONS];
        for (int code = -1; code >= -FrameOpener.REASONS; code--)
        {
            names[FrameOpener.reasonIndex(code)] = FrameOpener.reasonName(code);
        }
        assertArrayEquals(new String[]{ "short", "bad_version", "unknown_key", "bad_lane", "replayed", "too_old", "auth_failed" }, names);
        assertEquals("auth_failed", FrameOpener.reasonName(FrameOpener.AUTH_FAILED));
        assertEquals(null, FrameOpener.reasonName(0));
        assertEquals(null, FrameOpener.reasonName(-8));
    }
}
