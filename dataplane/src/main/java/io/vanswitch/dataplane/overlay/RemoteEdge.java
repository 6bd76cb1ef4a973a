package io.vanswitch.dataplane.overlay;

import io.vanswitch.dataplane.frame.InternetChecksum;
import io.vanswitch.dataplane.frame.NetworkOrder;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A peer host's edge bridge as the packet path knows it: its underlay address and the outer
 * headers every frame to it starts with, built once by the control thread (docs/wire-format.md).
 * Immutable. The template is also kept as five words and a short, and the IPv4 header's checksum
 * as a partial sum, so that encapsulation copies 42 bytes in six stores and finishes the checksum
 * with one addition instead of summing the header per frame.
 */
public final class RemoteEdge
{
    public static final int OUTER_LENGTH = 14 + 20 + 8;
    private static final int IP_OFFSET = 14;

    private final int index;
    private final int ip;
    private final int linkNumber;
    private final byte[] template;
    final long word0;
    final long word8;
    final long word16;
    final long word24;
    final long word32;
    final short word40;
    /** Ones'-complement sum of the template's IPv4 header (total length and checksum zero), unfolded. */
    final int ipPartialSum;

    /**
     * @param index    dense index in [0, OverlayTopology.MAX_EDGES): forwarding entries point at it.
     * @param ip       the peer's underlay IPv4 address.
     * @param template outer Ethernet (this host's MAC to the next hop's), IPv4 (lengths and checksum
     *                 zero: set per frame) and UDP (source port zero, destination the VAN port).
     */
    public RemoteEdge(final int index, final int ip, final byte[] template)
    {
        this(index, ip, template, -1);
    }

    /**
     * @param linkNumber for a peer proxy (a federation link, reached on the public port with sealed
     *                   frames): its number in [0, PmdCounters.MAX_LINKS); -1 for a host of the site.
     */
    public RemoteEdge(final int index, final int ip, final byte[] template, final int linkNumber)
    {
        this.linkNumber = linkNumber;
        if (template.length != OUTER_LENGTH)
        {
            throw new IllegalArgumentException("outer header template must be " + OUTER_LENGTH + " bytes");
        }
        this.index = index;
        this.ip = ip;
        this.template = template.clone();
        final UnsafeBuffer words = new UnsafeBuffer(this.template);
        word0 = words.getLong(0);
        word8 = words.getLong(8);
        word16 = words.getLong(16);
        word24 = words.getLong(24);
        word32 = words.getLong(32);
        word40 = words.getShort(40);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            if (i != 2 && i != 10)
            {
                sum += words.getShort(IP_OFFSET + i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            }
        }
        ipPartialSum = sum;
    }

    /**
     * Writes the outer headers at {@code address} (native memory: an mbuf's data): the template in
     * six stores, then the IPv4 total length, the checksum (the template's header summed once; per
     * frame only the total length joins the sum) and the UDP length. The UDP source port is the
     * caller's to set.
     *
     * @param ipLength the IPv4 total length: 28 + the UDP payload.
     */
    void writeOuter(final long address, final int ipLength)
    {
        UnsafeApi.putLong(address, word0);
        UnsafeApi.putLong(address + 8, word8);
        UnsafeApi.putLong(address + 16, word16);
        UnsafeApi.putLong(address + 24, word24);
        UnsafeApi.putLong(address + 32, word32);
        UnsafeApi.putShort(address + 40, word40);
        UnsafeApi.putShort(address + IP_OFFSET + 2, NetworkOrder.swap16((short)ipLength));
        UnsafeApi.putShort(address + IP_OFFSET + 10, NetworkOrder.swap16((short)~InternetChecksum.fold(ipPartialSum + ipLength)));
        UnsafeApi.putShort(address + IP_OFFSET + 20 + 4, NetworkOrder.swap16((short)(ipLength - 20)));
    }

    public int index()
    {
        return index;
    }

    /** A peer proxy's link number, or -1 for a host of this site. */
    public int linkNumber()
    {
        return linkNumber;
    }

    public boolean isLink()
    {
        return linkNumber >= 0;
    }

    public int ip()
    {
        return ip;
    }

    /** A copy of the outer header template. */
    public byte[] template()
    {
        return template.clone();
    }

    public boolean equals(final Object other)
    {
        return other instanceof RemoteEdge edge && edge.index == index && edge.ip == ip && edge.linkNumber == linkNumber &&
            Arrays.equals(edge.template, template);
    }

    public int hashCode()
    {
        return 31 * (31 * index + ip) + Arrays.hashCode(template);
    }

    public String toString()
    {
        return "RemoteEdge[index=" + index + ", ip=" + ip + (isLink() ? ", link=" + linkNumber : "") + "]";
    }
}
