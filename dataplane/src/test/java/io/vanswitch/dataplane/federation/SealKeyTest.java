package io.vanswitch.dataplane.federation;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SealKeyTest
{
    @Test
    void encodesIdKeyAndSaltIn36Bytes()
    {
        final byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++)
        {
            key[i] = (byte)(i + 1);
        }
        final SealKey sealKey = new SealKey(200, key, new byte[]{ 7, 8, 9 });
        final byte[] encoded = sealKey.encode();
        assertEquals(36, encoded.length);
        assertEquals((byte)200, encoded[0]);
        assertEquals(1, encoded[1]);
        assertEquals(32, encoded[32]);
        assertEquals(9, encoded[35]);
        final SealKey decoded = SealKey.decode(encoded);
        assertEquals(sealKey, decoded);
        assertEquals(200, decoded.keyId());
        assertArrayEquals(key, decoded.key());
        assertArrayEquals(new byte[]{ 7, 8, 9 }, decoded.salt());
        assertEquals(0x0708_0905, decoded.nonceFixed(5));
    }

    @Test
    void generatesFreshKeys()
    {
        final SecureRandom random = new SecureRandom();
        final SealKey a = SealKey.generate(1, random);
        final SealKey b = SealKey.generate(1, random);
        assertNotEquals(a, b);
        assertEquals(a, SealKey.decode(a.encode()));
        assertEquals("SealKey[id=1]", a.toString(), "no key bytes where keys get printed");
    }

    @Test
    void rejectsWhatIsNotAKey()
    {
        assertThrows(IllegalArgumentException.class, () -> new SealKey(256, new byte[32], new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> new SealKey(-1, new byte[32], new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> new SealKey(0, new byte[16], new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> new SealKey(0, new byte[32], new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> SealKey.decode(new byte[35]));
    }
}
