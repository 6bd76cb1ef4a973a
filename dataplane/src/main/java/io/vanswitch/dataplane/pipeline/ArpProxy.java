package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.frame.ArpFlyweight;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.MacAddress;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The edge bridge's ARP proxy (paper IV-C, DESIGN.md): every ARP frame in a VAN, local or from a
 * peer host, teaches the (VAN, IP) to MAC binding of its sender, gratuitous ARP from a migrated VM
 * included; a local VM's request for an IP already known in its VAN is answered in place and sent
 * back, so the broadcast never crosses the underlay. One per PMD thread, written by it only.
 */
public final class ArpProxy
{
    private static final long MISSING = -1;
    private static final int ARP_OFFSET = EthernetFlyweight.HEADER_LENGTH;

    private final Long2LongHashMap bindings;
    private final int capacity;
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final ArpFlyweight arp = new ArpFlyweight();

    public ArpProxy(final int capacity)
    {
        this.capacity = capacity;
        this.bindings = new Long2LongHashMap(Math.max(16, capacity * 2), 0.65f, MISSING);
    }

    private static long key(final int vanIndex, final int ip)
    {
        return ((long)vanIndex << 32) | (ip & 0xFFFF_FFFFL);
    }

    /** @return the MAC bound to the IP in the VAN, or MacAddress.NONE. */
    public long lookup(final int vanIndex, final int ip)
    {
        final long mac = bindings.get(key(vanIndex, ip));
        return mac == MISSING ? MacAddress.NONE : mac;
    }

    public int size()
    {
        return bindings.size();
    }

    /**
     * Gleans the sender of an ARP frame and, when {@code mayAnswer}, turns a request for a known IP
     * into the reply in place.
     *
     * @param address of the Ethernet header.
     * @param length  of the frame's first segment.
     * @return true when the frame now holds a reply to send back where it came from.
     */
    public boolean process(final int vanIndex, final long address, final int length, final boolean mayAnswer)
    {
        if (length < ARP_OFFSET + ArpFlyweight.LENGTH)
        {
            return false;
        }
        frame.wrap(address, ARP_OFFSET + ArpFlyweight.LENGTH);
        if ((frame.getShort(EthernetFlyweight.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) != EthernetFlyweight.ETHER_TYPE_ARP)
        {
            return false;
        }
        arp.wrap(frame, ARP_OFFSET);
        if (!arp.isEthernetIpv4())
        {
            return false;
        }
        final long senderMac = arp.senderMac();
        final int senderIp = arp.senderIp();
        if (senderIp != 0 && !MacAddress.isGroup(senderMac) && !MacAddress.isZero(senderMac))
        {
            final long key = key(vanIndex, senderIp);
            if (bindings.size() < capacity || bindings.get(key) != MISSING)
            {
                bindings.put(key, senderMac);
            }
        }
        if (!mayAnswer || arp.opcode() != ArpFlyweight.OPCODE_REQUEST)
        {
            return false;
        }
        final int targetIp = arp.targetIp();
        if (targetIp == senderIp || senderIp == 0)
        {
            return false; // gratuitous ARP or an address probe: nothing to answer
        }
        final long known = bindings.get(key(vanIndex, targetIp));
        if (known == MISSING || known == senderMac)
        {
            return false;
        }
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.DESTINATION_OFFSET, senderMac);
        EthernetFlyweight.writeMac(frame, EthernetFlyweight.SOURCE_OFFSET, known);
        arp.opcode(ArpFlyweight.OPCODE_REPLY);
        EthernetFlyweight.writeMac(frame, ARP_OFFSET + ArpFlyweight.TARGET_MAC_OFFSET, senderMac);
        frame.putInt(ARP_OFFSET + ArpFlyweight.TARGET_IP_OFFSET, senderIp, ByteOrder.BIG_ENDIAN);
        EthernetFlyweight.writeMac(frame, ARP_OFFSET + ArpFlyweight.SENDER_MAC_OFFSET, known);
        frame.putInt(ARP_OFFSET + ArpFlyweight.SENDER_IP_OFFSET, targetIp, ByteOrder.BIG_ENDIAN);
        return true;
    }

    /** Drops a VAN's bindings (VAN deleted). Not on the packet path. */
    public void removeVan(final int vanIndex)
    {
        final org.agrona.collections.LongArrayList stale = new org.agrona.collections.LongArrayList();
        final Long2LongHashMap.KeyIterator keys = bindings.keySet().iterator();
        while (keys.hasNext())
        {
            final long key = keys.nextValue();
            if ((int)(key >>> 32) == vanIndex)
            {
                stale.addLong(key);
            }
        }
        for (int i = 0; i < stale.size(); i++)
        {
            bindings.remove(stale.getLong(i));
        }
    }
}
