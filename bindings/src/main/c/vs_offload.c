/*
 * Software offloads: what a frame from a packet-socket port asks of the "hardware" (complete the
 * L4 checksum, cut a TCP or UDP segment of up to 64 KiB into MSS-sized frames) done before the frame
 * leaves by a port that cannot take the request: a vhost-user guest, a TAP, the underlay. The Linux
 * kernel does the same at a device without the feature (skb_checksum_help, skb_gso_segment).
 */
/* rte_ipv4/ipv6_udptcp_cksum_mbuf (checksums over a chain) are still experimental in 22.11 */
#define ALLOW_EXPERIMENTAL_API
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include "vs_packet_port.h"

/*
 * Completes a partial checksum as skb_checksum_help does: the field at csum_start + csum_offset
 * holds the pseudo-header's sum, so the one's complement sum from csum_start to the end, field
 * included, is the checksum. The headers must be in the first segment. Returns 0 or -EINVAL.
 */
int vs_complete_checksum(struct rte_mbuf *m, uint32_t csum_start, uint32_t csum_offset)
{
    if (csum_start + csum_offset + sizeof(uint16_t) > rte_pktmbuf_data_len(m) || csum_start >= rte_pktmbuf_pkt_len(m))
    {
        return -EINVAL;
    }
    uint16_t sum = 0;
    if (rte_raw_cksum_mbuf(m, csum_start, rte_pktmbuf_pkt_len(m) - csum_start, &sum) != 0)
    {
        return -EINVAL;
    }
    uint16_t checksum = (uint16_t)~sum;
    if (checksum == 0 && csum_offset == offsetof(struct rte_udp_hdr, dgram_cksum))
    {
        checksum = 0xFFFF; /* 0 means "no checksum" in UDP */
    }
    *rte_pktmbuf_mtod_offset(m, uint16_t *, csum_start + csum_offset) = checksum;
    return 0;
}

/* Appends len bytes from src, offset off on, to the chain that ends at *tail, allocating segments. */
static int vs_append(struct rte_mbuf *head, struct rte_mbuf **tail, struct rte_mempool *pool,
                     const struct rte_mbuf *src, uint32_t off, uint32_t len)
{
    while (len > 0)
    {
        uint32_t room = rte_pktmbuf_tailroom(*tail);
        if (room == 0)
        {
            struct rte_mbuf *next = rte_pktmbuf_alloc(pool);
            if (next == NULL)
            {
                return -ENOBUFS;
            }
            next->data_off = 0;
            (*tail)->next = next;
            *tail = next;
            head->nb_segs++;
            room = rte_pktmbuf_tailroom(next);
        }
        const uint32_t chunk = RTE_MIN(len, room);
        uint8_t *dst = rte_pktmbuf_mtod_offset(*tail, uint8_t *, (*tail)->data_len);
        const void *from = rte_pktmbuf_read(src, off, chunk, dst);
        if (from == NULL)
        {
            return -EINVAL;
        }
        if (from != dst)
        {
            rte_memcpy(dst, from, chunk);
        }
        (*tail)->data_len += chunk;
        head->pkt_len += chunk;
        off += chunk;
        len -= chunk;
    }
    return 0;
}

/* The L4 checksum of a finished segment, written in place (TCP or UDP over IPv4 or IPv6). */
static void vs_l4_checksum(struct rte_mbuf *s, uint32_t l2_len, uint32_t l3_len, int ipv4, int tcp)
{
    void *l3 = rte_pktmbuf_mtod_offset(s, void *, l2_len);
    uint16_t *field = rte_pktmbuf_mtod_offset(s, uint16_t *, l2_len + l3_len +
        (tcp ? offsetof(struct rte_tcp_hdr, cksum) : offsetof(struct rte_udp_hdr, dgram_cksum)));
    *field = 0;
    const uint16_t checksum = ipv4 ?
        rte_ipv4_udptcp_cksum_mbuf(s, l3, l2_len + l3_len) :
        rte_ipv6_udptcp_cksum_mbuf(s, l3, l2_len + l3_len);
    *field = checksum;
}

/*
 * Does the frame's offload requests and puts the resulting frames in out: the frame itself when it
 * asks for nothing; itself, or a copy when it is shared with other ports, with its checksum done; or
 * its segments, each with IP length and id, TCP sequence and flags (FIN and PSH on the last, CWR on
 * the first) or UDP length, and checksums done. The frame given is consumed either way.
 *
 * Returns how many frames are in out, or a negative errno (the frame is freed): -ENOBUFS when the
 * pool runs dry, -E2BIG when there would be more than max segments, -EINVAL for headers that do not
 * match the request (a raw socket in the endpoint's namespace can send those).
 */
int vs_soft_offload(struct rte_mbuf *m, struct rte_mempool *pool, struct rte_mbuf **out, int max)
{
    const uint64_t flags = m->ol_flags;
    if (!(flags & VS_SOFT_OFFLOAD_FLAGS))
    {
        out[0] = m;
        return 1;
    }
    const uint32_t l2_len = m->l2_len;
    const uint32_t l3_len = m->l3_len;
    const int tcp = (flags & RTE_MBUF_F_TX_L4_MASK) == RTE_MBUF_F_TX_TCP_CKSUM;
    const int ipv4 = (flags & RTE_MBUF_F_TX_IPV4) != 0;
    const uint32_t l4_len = tcp ? m->l4_len : sizeof(struct rte_udp_hdr);
    const uint32_t header_len = l2_len + l3_len + l4_len;
    const uint32_t mss = m->tso_segsz;
    const uint32_t payload = rte_pktmbuf_pkt_len(m) > header_len ? rte_pktmbuf_pkt_len(m) - header_len : 0;

    if (header_len > rte_pktmbuf_data_len(m) || ((flags & RTE_MBUF_F_TX_L4_MASK) != RTE_MBUF_F_TX_TCP_CKSUM &&
        (flags & RTE_MBUF_F_TX_L4_MASK) != RTE_MBUF_F_TX_UDP_CKSUM))
    {
        rte_pktmbuf_free(m);
        return -EINVAL;
    }

    if (!(flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) || mss == 0 || payload <= mss)
    {
        struct rte_mbuf *own = m;
        if (rte_mbuf_refcnt_read(m) > 1)
        {
            /* the checksum field holds the pseudo-header sum another port may still need */
            own = rte_pktmbuf_copy(m, pool, 0, UINT32_MAX);
            rte_pktmbuf_free(m);
            if (own == NULL)
            {
                return -ENOBUFS;
            }
        }
        own->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
        if (vs_complete_checksum(own, l2_len + l3_len, tcp ?
            offsetof(struct rte_tcp_hdr, cksum) : offsetof(struct rte_udp_hdr, dgram_cksum)) != 0)
        {
            rte_pktmbuf_free(own);
            return -EINVAL;
        }
        out[0] = own;
        return 1;
    }

    const uint32_t segments = (payload + mss - 1) / mss;
    if (segments > (uint32_t)max)
    {
        rte_pktmbuf_free(m);
        return -E2BIG;
    }
    const struct rte_ipv4_hdr *ip4 = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l2_len);
    const struct rte_tcp_hdr *th = rte_pktmbuf_mtod_offset(m, const struct rte_tcp_hdr *, l2_len + l3_len);
    const uint16_t ip_id = ipv4 ? rte_be_to_cpu_16(ip4->packet_id) : 0;
    const uint32_t seq = tcp ? rte_be_to_cpu_32(th->sent_seq) : 0;
    const uint8_t tcp_flags = tcp ? th->tcp_flags : 0;
    for (uint32_t k = 0; k < segments; k++)
    {
        const uint32_t chunk = RTE_MIN(mss, payload - k * mss);
        struct rte_mbuf *s = rte_pktmbuf_alloc(pool);
        struct rte_mbuf *tail = s;
        if (s == NULL || vs_append(s, &tail, pool, m, 0, header_len) != 0 ||
            vs_append(s, &tail, pool, m, header_len + k * mss, chunk) != 0)
        {
            rte_pktmbuf_free(s);
            rte_pktmbuf_free_bulk(out, k);
            rte_pktmbuf_free(m);
            return -ENOBUFS;
        }
        s->port = m->port;
        if (ipv4)
        {
            struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(s, struct rte_ipv4_hdr *, l2_len);
            ip->total_length = rte_cpu_to_be_16(l3_len + l4_len + chunk);
            ip->packet_id = rte_cpu_to_be_16((uint16_t)(ip_id + k));
            ip->hdr_checksum = 0;
            ip->hdr_checksum = rte_ipv4_cksum(ip);
        }
        else
        {
            struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(s, struct rte_ipv6_hdr *, l2_len);
            ip->payload_len = rte_cpu_to_be_16(l3_len - sizeof(struct rte_ipv6_hdr) + l4_len + chunk);
        }
        if (tcp)
        {
            struct rte_tcp_hdr *t = rte_pktmbuf_mtod_offset(s, struct rte_tcp_hdr *, l2_len + l3_len);
            t->sent_seq = rte_cpu_to_be_32(seq + k * mss);
            uint8_t f = tcp_flags;
            if (k + 1 < segments)
            {
                f &= ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
            }
            if (k > 0)
            {
                f &= ~RTE_TCP_CWR_FLAG;
            }
            t->tcp_flags = f;
        }
        else
        {
            struct rte_udp_hdr *u = rte_pktmbuf_mtod_offset(s, struct rte_udp_hdr *, l2_len + l3_len);
            u->dgram_len = rte_cpu_to_be_16(sizeof(struct rte_udp_hdr) + chunk);
        }
        vs_l4_checksum(s, l2_len, l3_len, ipv4, tcp);
        out[k] = s;
    }
    rte_pktmbuf_free(m);
    return (int)segments;
}
