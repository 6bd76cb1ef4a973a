/**
 * The host's own presence on the underlay network: the switch owns the underlay NIC through DPDK,
 * so no kernel answers ARP or ping for the host's underlay address, and the overlay's UDP arrives
 * here first. See docs/wire-format.md.
 */
package io.vanswitch.dataplane.underlay;
