package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pmd.DropReason;
import io.vanswitch.dataplane.pmd.PmdCounters;

/**
 * First stage (compare VPP's l2-input + l2-learn): validates each frame, enforces the ingress
 * port's source identity, and learns the source MAC on the ingress port. A frame enters a VAN only
 * from a port bound to it, and only with the assigned source MAC where the port has one.
 */
public final class IngressStage
{
    private final MbufFlyweight mbuf = new MbufFlyweight();
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final LocalFdb fdb;
    private final PmdCounters counters;
    private final LearnEvents learnEvents;
    private final ArpProxy arpProxy;

    public IngressStage(final LocalFdb fdb, final PmdCounters counters, final LearnEvents learnEvents, final ArpProxy arpProxy)
    {
        this.fdb = fdb;
        this.counters = counters;
        this.learnEvents = learnEvents;
        this.arpProxy = arpProxy;
    }

    public void process(final Burst burst)
    {
        final PortBinding ingress = burst.ingress;
        final int slot = ingress.slot();
        final int vanIndex = ingress.vanIndex();
        final long assignedMac = ingress.assignedMac();
        final long location = LocalFdb.location(slot, ingress.generation());
        long bytes = 0;
        long lastLearned = MacAddress.NONE;

        for (int i = 0, count = burst.count; i < count; i++)
        {
            mbuf.wrap(burst.mbufs[i]);
            final int pktLen = mbuf.pktLen();
            bytes += pktLen;
            burst.lengths[i] = pktLen;
            if (mbuf.dataLen() < EthernetFlyweight.HEADER_LENGTH)
            {
                drop(burst, i, slot, vanIndex, DropReason.RUNT);
                continue;
            }

            ethernet.wrap(mbuf.dataAddress(), EthernetFlyweight.HEADER_LENGTH);
            final long source = ethernet.source();
            if (MacAddress.isGroup(source) || MacAddress.isZero(source))
            {
                drop(burst, i, slot, vanIndex, DropReason.INVALID_SOURCE_MAC);
                continue;
            }
            if (assignedMac != MacAddress.NONE && source != assignedMac)
            {
                drop(burst, i, slot, vanIndex, DropReason.SOURCE_MAC_MISMATCH);
                continue;
            }

            // the same source as the frame before (a burst is often one flow) was just learned
            if (source != lastLearned && fdb.learn(vanIndex, source, location))
            {
                counters.addVan(vanIndex, PmdCounters.VAN_LEARNED, 1);
                learnEvents.onLearned(vanIndex, source, slot, ingress.generation());
            }
            if (ethernet.etherType() == EthernetFlyweight.ETHER_TYPE_ARP &&
                arpProxy.process(vanIndex, mbuf.dataAddress(), mbuf.dataLen(), true))
            {
                burst.actions[i] = Burst.REPLY;
                counters.addVan(vanIndex, PmdCounters.VAN_ARP_PROXIED, 1);
                continue;
            }
            lastLearned = source;
            burst.destinations[i] = ethernet.destination();
            burst.actions[i] = 0;
        }

        counters.addPort(slot, PmdCounters.PORT_RX_PACKETS, burst.count);
        counters.addPort(slot, PmdCounters.PORT_RX_BYTES, bytes);
        counters.addVan(vanIndex, PmdCounters.VAN_RX_PACKETS, burst.count);
        counters.addVan(vanIndex, PmdCounters.VAN_RX_BYTES, bytes);
    }

    private void drop(final Burst burst, final int i, final int slot, final int vanIndex, final DropReason reason)
    {
        burst.actions[i] = Burst.DROP;
        counters.addPortDrop(slot, reason, 1);
        counters.addVan(vanIndex, PmdCounters.VAN_DROPPED, 1);
    }
}
