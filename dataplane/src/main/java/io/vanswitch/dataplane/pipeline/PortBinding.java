package io.vanswitch.dataplane.pipeline;

import io.vanswitch.bindings.DpdkShim;

/**
 * What the packet path knows of one port: its slot (index into counters and tables), the DPDK
 * port id, the VAN it is bound to, its assigned MAC, and which PMD thread polls it. Immutable:
 * a change is a new binding in a new {@link ForwardingTopology}.
 *
 * @param slot         dense index in [0, PmdCounters.MAX_PORTS).
 * @param generation   distinguishes successive ports that re-use a slot.
 * @param dpdkPortId   the ethdev port id.
 * @param vanIndex     dense index of the VAN in [0, PmdCounters.MAX_VANS).
 * @param assignedMac  the only source MAC accepted from this port, or MacAddress.NONE.
 * @param pmdIndex     the PMD thread that polls this port's rx queue.
 * @param rxQueue      the first rx queue that PMD polls.
 * @param rxQueueCount how many rx queues, from rxQueue on, that PMD polls (some drivers, TAP among
 *                     them, need as many rx queues as tx queues, and spread traffic over all).
 */
public record PortBinding(
    int slot,
    int generation,
    String name,
    int dpdkPortId,
    int vanIndex,
    long assignedMac,
    int pmdIndex,
    int rxQueue,
    int rxQueueCount)
{
    public PortBinding(
        final int slot,
        final int generation,
        final String name,
        final int dpdkPortId,
        final int vanIndex,
        final long assignedMac,
        final int pmdIndex,
        final int rxQueue)
    {
        this(slot, generation, name, dpdkPortId, vanIndex, assignedMac, pmdIndex, rxQueue, 1);
    }

    /**
     * Whether the port is one of the shim's packet-socket ports (a veth port), whose frames may carry
     * the sending kernel's checksum and segmentation requests, and which takes frames that do.
     */
    public boolean carriesOffloads()
    {
        // a compile-time constant: reading it does not load the shim (the pipeline runs on fakes too)
        return dpdkPortId >= DpdkShim.PACKET_SOCKET_PORT_BASE;
    }
}
