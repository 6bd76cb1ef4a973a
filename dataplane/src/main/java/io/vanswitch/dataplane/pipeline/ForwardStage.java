package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.pmd.DropReason;
import io.vanswitch.dataplane.pmd.PmdCounters;

/**
 * Second stage (compare VPP's l2-fwd): decides each valid frame's egress. Group destinations and
 * unknown unicast flood within the VAN; known unicast goes to the learned port; a destination
 * learned on the ingress port itself is dropped.
 */
public final class ForwardStage
{
    private final LocalFdb fdb;
    private final PmdCounters counters;

    public ForwardStage(final LocalFdb fdb, final PmdCounters counters)
    {
        this.fdb = fdb;
        this.counters = counters;
    }

    public void process(final Burst burst, final ForwardingTopology topology)
    {
        final int ingressSlot = burst.ingress.slot();
        final int vanIndex = burst.ingress.vanIndex();
        int unicast = 0;
        int flooded = 0;
        // a burst is often one flow: the last unicast decision is reused without a lookup, and a
        // remote route's hits are counted once per run of frames, not once per frame
        long cachedDestination = MacAddress.NONE;
        int cachedAction = 0;
        int pendingHits = 0;

        for (int i = 0, count = burst.count; i < count; i++)
        {
            if (burst.actions[i] == Burst.DROP || burst.actions[i] == Burst.REPLY)
            {
                continue;
            }
            final long destination = burst.destinations[i];
            if (destination == cachedDestination)
            {
                burst.actions[i] = cachedAction;
                unicast++;
                if (cachedAction >= OverlayTopology.REMOTE_BASE)
                {
                    pendingHits++;
                }
                continue;
            }
            if (MacAddress.isGroup(destination))
            {
                burst.actions[i] = Burst.FLOOD;
                flooded++;
                continue;
            }

            final long location = fdb.lookup(vanIndex, destination);
            if (location != LocalFdb.MISSING && LocalFdb.slotOf(location) >= OverlayTopology.REMOTE_BASE)
            {
                // a remote route: valid while the edge is in the published overlay
                final OverlayTopology overlay = topology.overlay();
                if (null != overlay && null != overlay.edge(LocalFdb.slotOf(location) - OverlayTopology.REMOTE_BASE))
                {
                    if (pendingHits > 0)
                    {
                        fdb.countHits(vanIndex, cachedDestination, pendingHits);
                    }
                    burst.actions[i] = LocalFdb.slotOf(location);
                    cachedDestination = destination;
                    cachedAction = burst.actions[i];
                    pendingHits = 1;
                    unicast++;
                }
                else
                {
                    burst.actions[i] = Burst.FLOOD;
                    flooded++;
                }
                continue;
            }
            final PortBinding egress = location == LocalFdb.MISSING ? null : topology.binding(LocalFdb.slotOf(location));
            if (null == egress || egress.generation() != LocalFdb.generationOf(location) || egress.vanIndex() != vanIndex)
            {
                burst.actions[i] = Burst.FLOOD;
                flooded++;
            }
            else if (egress.slot() == ingressSlot)
            {
                burst.actions[i] = Burst.DROP;
                counters.addPortDrop(ingressSlot, DropReason.SAME_PORT, 1);
                counters.addVan(vanIndex, PmdCounters.VAN_DROPPED, 1);
            }
            else
            {
                if (pendingHits > 0)
                {
                    fdb.countHits(vanIndex, cachedDestination, pendingHits);
                    pendingHits = 0;
                }
                burst.actions[i] = egress.slot();
                cachedDestination = destination;
                cachedAction = egress.slot();
                unicast++;
            }
        }
        if (pendingHits > 0)
        {
            fdb.countHits(vanIndex, cachedDestination, pendingHits);
        }

        counters.addVan(vanIndex, PmdCounters.VAN_UNICAST, unicast);
        counters.addVan(vanIndex, PmdCounters.VAN_FLOODED, flooded);
    }
}
