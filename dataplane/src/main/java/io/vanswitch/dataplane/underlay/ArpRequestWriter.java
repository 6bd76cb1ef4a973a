package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.frame.ArpFlyweight;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Writes the broadcast ARP request ("who has {@code targetIp}? tell {@code ourIp}") with which
 * this host resolves a peer's or the gateway's MAC on the underlay. The answer comes back through
 * {@link HostResponder} as {@link HostResponder#ARP_LEARNED}.
 *
 * <pre>
 *   0               6          12     14                          42              60
 *   | ff:ff:ff:ff:ff:ff | our MAC | 0806 | ARP request (28 bytes) | zero padding |
 * </pre>
 */
public final class ArpRequestWriter
{
    /** The Ethernet minimum without FCS: not every PMD pads short frames on transmit. */
    public static final int FRAME_LENGTH = 60;

    private static final int ARP_END = EthernetFlyweight.HEADER_LENGTH + ArpFlyweight.LENGTH;

    private ArpRequestWriter()
    {
    }

    /**
     * @param frame    over a transmit buffer of at least {@link #FRAME_LENGTH} bytes; the frame starts at 0.
     * @param ourMac   the sender MAC (this host's underlay NIC).
     * @param ourIp    the sender address (this host's underlay address).
     * @param targetIp the address to resolve.
     * @return the frame's length: {@link #FRAME_LENGTH}.
     */
    public static int write(final UnsafeBuffer frame, final long ourMac, final int ourIp, final int targetIp)
    {
        if (frame.capacity() < FRAME_LENGTH)
        {
            throw new IllegalArgumentException("ARP request needs " + FRAME_LENGTH + " bytes, buffer has " + frame.capacity());
        }
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.DESTINATION_OFFSET, MacAddress.BROADCAST);
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.SOURCE_OFFSET, ourMac);
        frame.putShort(EthernetFlyweight.ETHER_TYPE_OFFSET, (short)EthernetFlyweight.ETHER_TYPE_ARP, ByteOrder.BIG_ENDIAN);
        // the target MAC is what is asked for: zero, as Linux sends it
        ArpFlyweight.write(frame, EthernetFlyweight.HEADER_LENGTH, ArpFlyweight.OPCODE_REQUEST, ourMac, ourIp, 0L, targetIp);
        frame.setMemory(ARP_END, FRAME_LENGTH - ARP_END, (byte)0);
        return FRAME_LENGTH;
    }
}
