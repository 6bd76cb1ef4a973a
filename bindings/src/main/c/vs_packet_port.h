/* Packet-socket ports and software offloads: see vs_packet_port.c and vs_offload.c. */
#ifndef VS_PACKET_PORT_H
#define VS_PACKET_PORT_H

#include <stdint.h>
#include <rte_mbuf.h>

/* Port ids of packet-socket ports start here, above RTE_MAX_ETHPORTS. */
#define VS_PKT_PORT_BASE 0x4000

/* The offload requests a frame from a packet-socket port may carry; any other port needs them done. */
#define VS_SOFT_OFFLOAD_FLAGS (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)

uint16_t vs_pkt_rx(int port_id, struct rte_mbuf **pkts, uint16_t n);
uint16_t vs_pkt_tx(int port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n);
int vs_pkt_set_bypass(int port_id, const uint64_t *pairs, unsigned int count);
int vs_complete_checksum(struct rte_mbuf *m, uint32_t csum_start, uint32_t csum_offset);

#endif
