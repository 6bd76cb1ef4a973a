package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VanSpecTest
{
    private static void assertRejected(final Executable executable, final String expected)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
    }

    @Test
    void idsAreOneTo24Bits()
    {
        assertEquals(1, new VanSpec(1, null).id());
        assertEquals(16777215, new VanSpec(VanSpec.MAX_ID, null).id());
        assertRejected(() -> new VanSpec(0, null), "bad VAN id 0");
        assertRejected(() -> new VanSpec(16777216, null), "bad VAN id 16777216");
        assertRejected(() -> new VanSpec(-1, null), "bad VAN id -1");
    }

    @Test
    void parseIdRejectsWhatIsNotAnId()
    {
        assertEquals(42, VanSpec.parseId("42"));
        assertRejected(() -> VanSpec.parseId("0"), "bad VAN id 0");
        assertRejected(() -> VanSpec.parseId("16777216"), "1..16777215");
        assertRejected(() -> VanSpec.parseId("blue"), "bad VAN id 'blue'");
        assertRejected(() -> VanSpec.parseId("99999999999999"), "expected a number");
        assertRejected(() -> VanSpec.parseId("1\n2"), "bad VAN id '1?2'");
        assertRejected(() -> VanSpec.parseId(null), "missing VAN id");
    }

    @Test
    void namesAreRestricted()
    {
        assertEquals("tenant-a:web_1.x", new VanSpec(3, "tenant-a:web_1.x").name());
        assertRejected(() -> new VanSpec(3, "has space"), "bad VAN name 'has space'");
        assertRejected(() -> new VanSpec(3, "-lead"), "bad VAN name");
        assertRejected(() -> new VanSpec(3, ""), "bad VAN name");
        assertRejected(() -> new VanSpec(3, "x".repeat(65)), "bad VAN name");
        assertRejected(() -> new VanSpec(3, "a\nb"), "bad VAN name 'a?b'");
    }

    @Test
    void requestRoundTrip()
    {
        final VanSpec named = new VanSpec(7, "blue");
        assertEquals("van-add\tid=7\tname=blue", named.toRequest().encode());
        assertEquals(named, VanSpec.fromRequest(ControlMessage.decode(named.toRequest().encode())));
        final VanSpec unnamed = VanSpec.fromRequest(ControlMessage.decode("van-add\tid=8"));
        assertNull(unnamed.name());
        assertEquals("van-add\tid=8", unnamed.toRequest().encode());
    }
}
