package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.testing.Hex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.VAN_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArpRequestWriterTest
{
    /** Who has 10.0.0.2? Tell 10.0.0.1: broadcast, target MAC zero, padded to 60 bytes. */
    private static final byte[] WHO_HAS_PEER = Hex.bytes(
        "ff ff ff ff ff ff 52 54 00 12 34 56 08 06" +
        "00 01 08 00 06 04 00 01 52 54 00 12 34 56 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02" +
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

    @Test
    void writesABroadcastRequestPaddedToTheEthernetMinimum()
    {
        final byte[] wire = new byte[128];
        java.util.Arrays.fill(wire, (byte)0xEE);
        assertEquals(60, ArpRequestWriter.write(new UnsafeBuffer(wire), OUR_MAC, OUR_IP, PEER_IP));
        assertArrayEquals(WHO_HAS_PEER, java.util.Arrays.copyOf(wire, 60), Hex.dump(wire));
        assertEquals((byte)0xEE, wire[60], "nothing written past the frame");
    }

    @Test
    void refusesABufferTooSmall()
    {
        assertThrows(IllegalArgumentException.class, () -> ArpRequestWriter.write(new UnsafeBuffer(new byte[59]), OUR_MAC, OUR_IP, PEER_IP));
    }

    @Test
    void resolvesAPeerThroughItsResponderAndOurs()
    {
        final HostResponder us = new HostResponder(OUR_MAC, OUR_IP, VAN_PORT);
        final HostResponder peer = new HostResponder(PEER_MAC, PEER_IP, VAN_PORT);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[60]);

        final int length = ArpRequestWriter.write(frame, OUR_MAC, OUR_IP, PEER_IP);
        assertEquals(HostResponder.NOT_FOR_US, us.examine(frame, length), "our own request, were it to come back");
        assertEquals(HostResponder.ARP_REPLIED, peer.examine(frame, length));
        assertEquals(OUR_IP, peer.senderIp());
        assertEquals(HostResponder.ARP_LEARNED, us.examine(frame, length));
        assertEquals(PEER_IP, us.senderIp());
        assertEquals(PEER_MAC, us.senderMac());
    }
}
