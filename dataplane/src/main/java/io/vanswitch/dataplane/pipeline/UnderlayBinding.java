package io.vanswitch.dataplane.pipeline;

/**
 * The underlay port as the packet path knows it: the ethdev (its counters live in
 * PmdCounters.UNDERLAY_SLOT), the host's underlay MAC and IPv4 address, and the overlay UDP port.
 *
 * @param port    binding of the underlay ethdev (slot UNDERLAY_SLOT, no VAN).
 * @param mac     this host's underlay MAC.
 * @param ip      this host's underlay IPv4 address (Ipv4Address int form).
 * @param udpPort the overlay's UDP destination port.
 */
public record UnderlayBinding(PortBinding port, long mac, int ip, int udpPort)
{
}
