package io.vanswitch.dataplane.frame;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The VAN header byte by byte as docs/wire-format.md describes it, and every malformed case.
 */
class VanHeaderFlyweightTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final VanHeaderFlyweight header = new VanHeaderFlyweight();

    @Test
    void writesTheDocumentedLayout()
    {
        header.wrap(buffer, 2).write(VanHeaderFlyweight.TYPE_FLOOD, 0x80, 17, 0x00AB_CDEFL);
        final byte[] wire = new byte[12];
        buffer.getBytes(2, wire);
        assertArrayEquals(new byte[]{ 0x12, (byte)0x80, 0, 0, 0, 0, 0, 17, 0, (byte)0xAB, (byte)0xCD, (byte)0xEF }, wire);
    }

    @Test
    void readsWhatItWrote()
    {
        header.wrap(buffer, 0).write(VanHeaderFlyweight.TYPE_DATA, 0, 0xFFFF_FFFFL, 42);
        assertEquals(1, header.version());
        assertEquals(VanHeaderFlyweight.TYPE_DATA, header.type());
        assertEquals(0, header.flags());
        assertEquals(0xFFFF_FFFFL, header.sourceVanId(), "ids are unsigned");
        assertEquals(42, header.destinationVanId());
    }

    @Test
    void acceptsWellFormedFramesAndSignals()
    {
        header.wrap(buffer, 0).write(VanHeaderFlyweight.TYPE_DATA, 0, 1, 1);
        assertEquals(VanFrameCheck.OK, VanFrameCheck.check(buffer, 0, 12 + 14));
        header.write(VanHeaderFlyweight.TYPE_HEALTH, 0, 1, 1);
        assertEquals(VanFrameCheck.OK, VanFrameCheck.check(buffer, 0, 12), "signals need no inner frame");
    }

    @Test
    void rejectsShortHeaders()
    {
        header.wrap(buffer, 0).write(VanHeaderFlyweight.TYPE_DATA, 0, 1, 1);
        assertEquals(VanFrameCheck.SHORT, VanFrameCheck.check(buffer, 0, 11));
        assertEquals(VanFrameCheck.SHORT, VanFrameCheck.check(buffer, 0, 0));
    }

    @Test
    void rejectsOtherVersions()
    {
        for (final int version : new int[]{ 0, 2, 15 })
        {
            buffer.putByte(0, (byte)((version << 4) | VanHeaderFlyweight.TYPE_DATA));
            assertEquals(VanFrameCheck.BAD_VERSION, VanFrameCheck.check(buffer, 0, 40), "version " + version);
        }
    }

    @Test
    void rejectsUnknownTypes()
    {
        for (final int type : new int[]{ 0, 8, 15 })
        {
            buffer.putByte(0, (byte)(0x10 | type));
            assertEquals(VanFrameCheck.UNKNOWN_TYPE, VanFrameCheck.check(buffer, 0, 40), "type " + type);
        }
    }

    @Test
    void rejectsDataWithoutAWholeInnerEthernetHeader()
    {
        header.wrap(buffer, 0).write(VanHeaderFlyweight.TYPE_FLOOD, 0, 1, 1);
        assertEquals(VanFrameCheck.BAD_INNER_LENGTH, VanFrameCheck.check(buffer, 0, 12 + 13));
        assertEquals(VanFrameCheck.OK, VanFrameCheck.check(buffer, 0, 12 + 14));
    }
}
