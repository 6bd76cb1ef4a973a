/*
 * Packet-socket ports: a kernel interface (the switch's side of a veth pair) read through an
 * AF_PACKET ring and written through AF_PACKET sockets, both with PACKET_VNET_HDR, so TCP segments of up to 64 KiB cross the switch
 * whole, with their checksum left to be done, as they cross a Linux bridge. DPDK's net_af_packet
 * has no vnet header: the endpoint must then segment and checksum every frame in software before
 * the switch sees it.
 *
 * A port has one rx ring (TPACKET_V2, polled by the port's PMD thread, no system call when it is
 * empty) and a tx socket per PMD thread, so PMDs never share one. What the switch receives is
 * copied into a chain of mbufs (from the ring, or for a frame larger than a ring frame from the
 * socket's receive queue), with the
 * vnet header's checksum and segmentation requests put in the mbuf's offload fields (l2/l3/l4_len,
 * tso_segsz, RTE_MBUF_F_TX_*), where vs_tx_burst to another packet-socket port finds them again and
 * vs_soft_offload does them for any other port.
 *
 * Port ids start at VS_PKT_PORT_BASE, above every ethdev's, so vs_rx_burst and vs_tx_burst tell the
 * two kinds apart with one compare. Opening and closing run on the control thread only, while no PMD
 * polls the port (the switch removes a port from every PMD before it closes it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include "vs_packet_port.h"

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* Linux 6.2's uapi; Debian 12's headers are older than the kernels that send it */
#endif

/* rx frames of 4 KiB: a 1500-byte frame with room to spare, 4096 of them in 16 MB. A larger frame
 * (a TCP segment of up to 64 KiB) gets its first bytes in the ring and, whole, a place in the
 * socket's receive queue (PACKET_COPY_THRESH), from where one recvmsg copies it into mbufs. */
#define VS_PKT_FRAME_SIZE (4 * 1024)
#define VS_PKT_BLOCK_SIZE (64 * 1024)
#define VS_PKT_FRAMES_PER_BLOCK (VS_PKT_BLOCK_SIZE / VS_PKT_FRAME_SIZE)
#define VS_PKT_RX_BLOCKS 256
/* what the receive queue may hold of frames larger than a ring frame: 128 of 64 KiB */
#define VS_PKT_RX_RCVBUF (16 * 1024 * 1024)
/* iovecs for one recvmsg: the vnet header and a chain of mbufs for up to 64 KiB and its headers */
#define VS_PKT_RX_IOV 40
#define VS_PKT_MAX_PORTS 256
#define VS_PKT_MAX_TXQ 16
/* frames per sendmmsg, and iovecs per frame: the vnet header and up to 63 mbuf segments (64 KiB in
 * the switch's 2 KiB mbufs takes 33) */
/* A tx socket sends a burst with one sendmmsg, each frame gathered from its mbufs: the kernel copies
 * it once into its own buffer. (A tx ring took a copy into the ring and, as the kernel's frames would
 * point into the ring, another when veth passed them to the endpoint: 6 Gbit/s of TCP against 8.8.) */
#define VS_PKT_TX_BURST 32
#define VS_PKT_TX_IOV 64
/* what the kernel may hold of a tx socket's frames before sendmmsg would refuse more: a burst of
 * 64 KiB segments, twice (SO_SNDBUF's default, 208 KiB, is three) */
#define VS_PKT_TX_SNDBUF (4 * 1024 * 1024)

/* a tx queue's scratch for one sendmmsg: one PMD uses it */
struct vs_txq
{
    int fd;
    struct mmsghdr messages[VS_PKT_TX_BURST];
    struct iovec iov[VS_PKT_TX_BURST][VS_PKT_TX_IOV];
    struct virtio_net_hdr vnet[VS_PKT_TX_BURST];
};

struct vs_ring
{
    int fd;
    uint8_t *map;
    size_t map_len;
    unsigned int frames;
    unsigned int next;
};

struct vs_pkt_port
{
    struct rte_mempool *pool;
    int ifindex;
    char ifname[IF_NAMESIZE];
    struct vs_ring rx;
    unsigned int tx_queues;
    struct vs_txq *tx[VS_PKT_MAX_TXQ];
    /* written by the PMD thread that polls the port, read by the control thread */
    volatile uint64_t rx_truncated;
    volatile uint64_t rx_nombuf;
    volatile uint64_t rx_unsupported;
    /* control thread only: PACKET_STATISTICS counts since its last read */
    uint64_t kernel_drops;
};

static struct vs_pkt_port *vs_pkt_ports[VS_PKT_MAX_PORTS];

static void vs_ring_close(struct vs_ring *ring)
{
    if (ring->map != NULL && ring->map != MAP_FAILED)
    {
        munmap(ring->map, ring->map_len);
    }
    if (ring->fd >= 0)
    {
        close(ring->fd);
    }
    ring->map = NULL;
    ring->fd = -1;
}

/* The rx socket: a packet socket on the interface, bound to every protocol, with a vnet header and
 * a mapped rx ring. Returns 0 or a negative errno. */
static int vs_ring_open(struct vs_ring *ring, int ifindex)
{
    const int rcvbuf = VS_PKT_RX_RCVBUF;
    const int version = TPACKET_V2;
    const int one = 1;
    struct tpacket_req req = {
        .tp_block_size = VS_PKT_BLOCK_SIZE,
        .tp_block_nr = VS_PKT_RX_BLOCKS,
        .tp_frame_size = VS_PKT_FRAME_SIZE,
    };
    struct sockaddr_ll address = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ALL),
        .sll_ifindex = ifindex,
    };
    req.tp_frame_nr = req.tp_block_nr * VS_PKT_FRAMES_PER_BLOCK;
    ring->map = NULL;
    /* protocol 0: nothing is received before the ring is set up and the socket bound */
    ring->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (ring->fd < 0)
    {
        return -errno;
    }
    if (setsockopt(ring->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) != 0 ||
        setsockopt(ring->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) != 0 ||
        setsockopt(ring->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) != 0 ||
        setsockopt(ring->fd, SOL_PACKET, PACKET_COPY_THRESH, &one, sizeof(one)) != 0 ||
        (setsockopt(ring->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) != 0 &&
         setsockopt(ring->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) != 0) ||
        setsockopt(ring->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) != 0)
    {
        const int error = -errno;
        vs_ring_close(ring);
        return error;
    }
    ring->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
    ring->map = mmap(NULL, ring->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring->fd, 0);
    if (ring->map == MAP_FAILED || bind(ring->fd, (struct sockaddr *)&address, sizeof(address)) != 0)
    {
        const int error = -errno;
        vs_ring_close(ring);
        return error;
    }
    ring->frames = req.tp_frame_nr;
    ring->next = 0;
    return 0;
}

static void vs_txq_close(struct vs_txq *txq)
{
    if (txq != NULL)
    {
        if (txq->fd >= 0)
        {
            close(txq->fd);
        }
        free(txq);
    }
}

/* A tx socket: bound to the interface and to no protocol (it receives nothing), a vnet header on
 * every frame sent, past the qdisc, with room for two bursts of 64 KiB segments in flight. */
static int vs_txq_open(struct vs_txq **out, int ifindex)
{
    const int one = 1;
    const int sndbuf = VS_PKT_TX_SNDBUF;
    struct sockaddr_ll address = { .sll_family = AF_PACKET, .sll_protocol = 0, .sll_ifindex = ifindex };
    struct vs_txq *txq = calloc(1, sizeof(*txq));
    if (txq == NULL)
    {
        return -ENOMEM;
    }
    txq->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (txq->fd < 0 ||
        setsockopt(txq->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) != 0 ||
        setsockopt(txq->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0 ||
        (setsockopt(txq->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) != 0 &&
         setsockopt(txq->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) != 0) ||
        bind(txq->fd, (struct sockaddr *)&address, sizeof(address)) != 0)
    {
        const int error = -errno;
        vs_txq_close(txq);
        return error;
    }
    for (int i = 0; i < VS_PKT_TX_BURST; i++)
    {
        txq->messages[i].msg_hdr.msg_iov = txq->iov[i];
        txq->iov[i][0].iov_base = &txq->vnet[i];
        txq->iov[i][0].iov_len = sizeof(struct virtio_net_hdr);
    }
    *out = txq;
    return 0;
}

/* frames never straddle blocks: a block's tail after its last frame is unused (constants: no division) */
static inline struct tpacket2_hdr *vs_ring_frame(const struct vs_ring *ring, unsigned int index)
{
    return (struct tpacket2_hdr *)(ring->map + (size_t)(index / VS_PKT_FRAMES_PER_BLOCK) * VS_PKT_BLOCK_SIZE +
        (size_t)(index % VS_PKT_FRAMES_PER_BLOCK) * VS_PKT_FRAME_SIZE);
}

int vs_pkt_open(const char *ifname, unsigned int tx_queues, struct rte_mempool *pool)
{
    int slot = -1;
    for (int i = 0; i < VS_PKT_MAX_PORTS; i++)
    {
        if (vs_pkt_ports[i] == NULL)
        {
            slot = i;
            break;
        }
    }
    if (slot < 0)
    {
        return -ENOSPC;
    }
    if (tx_queues == 0 || tx_queues > VS_PKT_MAX_TXQ || strlen(ifname) >= IF_NAMESIZE)
    {
        return -EINVAL;
    }
    const int ifindex = (int)if_nametoindex(ifname);
    if (ifindex == 0)
    {
        return -ENODEV;
    }
    struct vs_pkt_port *port = calloc(1, sizeof(*port));
    if (port == NULL)
    {
        return -ENOMEM;
    }
    port->pool = pool;
    port->ifindex = ifindex;
    strcpy(port->ifname, ifname);
    port->tx_queues = tx_queues;
    port->rx.fd = -1;
    int rc = vs_ring_open(&port->rx, ifindex);
    for (unsigned int q = 0; rc == 0 && q < tx_queues; q++)
    {
        rc = vs_txq_open(&port->tx[q], ifindex);
    }
    if (rc != 0)
    {
        vs_ring_close(&port->rx);
        for (unsigned int q = 0; q < tx_queues; q++)
        {
            vs_txq_close(port->tx[q]);
        }
        free(port);
        return rc;
    }
    vs_pkt_ports[slot] = port;
    return VS_PKT_PORT_BASE + slot;
}

static struct vs_pkt_port *vs_pkt_port(int port_id)
{
    const int slot = port_id - VS_PKT_PORT_BASE;
    return slot >= 0 && slot < VS_PKT_MAX_PORTS ? vs_pkt_ports[slot] : NULL;
}

void vs_pkt_close(int port_id)
{
    struct vs_pkt_port *port = vs_pkt_port(port_id);
    if (port == NULL)
    {
        return;
    }
    vs_pkt_ports[port_id - VS_PKT_PORT_BASE] = NULL;
    vs_ring_close(&port->rx);
    for (unsigned int q = 0; q < port->tx_queues; q++)
    {
        vs_txq_close(port->tx[q]);
    }
    free(port);
}

/* The interface is up and has a carrier (a veth: both sides up). */
int vs_pkt_link_up(int port_id)
{
    struct vs_pkt_port *port = vs_pkt_port(port_id);
    if (port == NULL)
    {
        return 0;
    }
    struct ifreq request;
    memset(&request, 0, sizeof(request));
    strcpy(request.ifr_name, port->ifname);
    if (ioctl(port->rx.fd, SIOCGIFFLAGS, &request) != 0)
    {
        return 0;
    }
    return (request.ifr_flags & IFF_UP) && (request.ifr_flags & IFF_RUNNING);
}

/* The interface's MAC as the low 48 bits, first octet most significant; -1 when it cannot be read. */
int64_t vs_pkt_mac(int port_id)
{
    struct vs_pkt_port *port = vs_pkt_port(port_id);
    if (port == NULL)
    {
        return -1;
    }
    struct ifreq request;
    memset(&request, 0, sizeof(request));
    strcpy(request.ifr_name, port->ifname);
    if (ioctl(port->rx.fd, SIOCGIFHWADDR, &request) != 0)
    {
        return -1;
    }
    int64_t mac = 0;
    for (int i = 0; i < 6; i++)
    {
        mac = (mac << 8) | (uint8_t)request.ifr_hwaddr.sa_data[i];
    }
    return mac;
}

/* Frames lost before the switch saw them: the kernel's ring drops (PACKET_STATISTICS counts since the
 * last read, so the total is kept here), truncated frames, frames without mbufs and offload requests
 * the switch cannot carry. */
uint64_t vs_pkt_rx_missed(int port_id)
{
    struct vs_pkt_port *port = vs_pkt_port(port_id);
    if (port == NULL)
    {
        return 0;
    }
    struct tpacket_stats stats;
    socklen_t length = sizeof(stats);
    if (getsockopt(port->rx.fd, SOL_PACKET, PACKET_STATISTICS, &stats, &length) == 0)
    {
        port->kernel_drops += stats.tp_drops;
    }
    return port->kernel_drops + port->rx_truncated + port->rx_nombuf + port->rx_unsupported;
}

/* Flows the kernel forwards itself (the switch's kernel fast path: a tc rule on the interface's
 * ingress redirects a learned (source, destination) MAC pair to another veth port). A packet socket
 * sees a frame before tc does, so without this the switch would forward such a frame a second time.
 * A classic BPF filter on the rx socket refuses the pairs before any copy: per pair, four loads and
 * compares of the destination and source MACs (9 instructions, forward jumps only), then accept.
 * pairs holds count (source, destination) MACs, 48 bits each; count 0 removes the filter.
 * Control thread only. Returns 0 or a negative errno (-E2BIG above VS_PKT_MAX_BYPASS pairs). */
#define VS_PKT_MAX_BYPASS 256
int vs_pkt_set_bypass(int port_id, const uint64_t *pairs, unsigned int count)
{
    struct vs_pkt_port *port = vs_pkt_port(port_id);
    if (port == NULL)
    {
        return -ENODEV;
    }
    if (count > VS_PKT_MAX_BYPASS)
    {
        return -E2BIG;
    }
    if (count == 0)
    {
        const int dummy = 0;
        return setsockopt(port->rx.fd, SOL_SOCKET, SO_DETACH_FILTER, &dummy, sizeof(dummy)) == 0 || errno == ENOENT ? 0 : -errno;
    }
    struct sock_filter code[VS_PKT_MAX_BYPASS * 9 + 1];
    unsigned int n = 0;
    for (unsigned int i = 0; i < count; i++)
    {
        const uint64_t src = pairs[2 * i];
        const uint64_t dst = pairs[2 * i + 1];
        /* a mismatch jumps over the rest of this pair's block to the next pair's first instruction */
        code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
        code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(dst >> 16), 0, 7);
        code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4);
        code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(dst & 0xFFFF), 0, 5);
        code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 6);
        code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(src >> 16), 0, 3);
        code[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 10);
        code[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(src & 0xFFFF), 0, 1);
        code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
    }
    code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xFFFFFFFFu);
    const struct sock_fprog program = { .len = (unsigned short)n, .filter = code };
    return setsockopt(port->rx.fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) == 0 ? 0 : -errno;
}

/* Copies len bytes into a new chain of mbufs from pool: NULL when the pool runs dry. */
static struct rte_mbuf *vs_copy_in(struct rte_mempool *pool, const uint8_t *data, uint32_t len)
{
    struct rte_mbuf *head = rte_pktmbuf_alloc(pool);
    if (head == NULL)
    {
        return NULL;
    }
    struct rte_mbuf *tail = head;
    uint32_t copied = 0;
    for (;;)
    {
        const uint32_t chunk = RTE_MIN(len - copied, (uint32_t)rte_pktmbuf_tailroom(tail));
        rte_memcpy(rte_pktmbuf_mtod(tail, uint8_t *), data + copied, chunk);
        tail->data_len = (uint16_t)chunk;
        copied += chunk;
        if (copied == len)
        {
            break;
        }
        struct rte_mbuf *next = rte_pktmbuf_alloc(pool);
        if (next == NULL)
        {
            rte_pktmbuf_free(head);
            return NULL;
        }
        next->data_off = 0; /* only the first segment needs headroom (for outer headers) */
        tail->next = next;
        tail = next;
        head->nb_segs++;
    }
    head->pkt_len = len;
    return head;
}

/*
 * The vnet header's requests as the mbuf's offload fields: a checksum to complete from csum_start
 * (RTE_MBUF_F_TX_TCP_CKSUM or _UDP_CKSUM with l2_len and l3_len) and a segmentation (TCP_SEG or
 * UDP_SEG with tso_segsz and l4_len). Returns 0, or -1 for a request the switch cannot carry (a
 * checksum at an offset that is neither TCP's nor UDP's), which is then done here in software.
 */
static int vs_vnet_to_mbuf(const struct virtio_net_hdr *vnet, struct rte_mbuf *m, uint16_t inserted)
{
    if (!(vnet->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
    {
        return vnet->gso_type == VIRTIO_NET_HDR_GSO_NONE ? 0 : -1;
    }
    const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
    uint16_t ether_type = eth->ether_type;
    uint16_t l2_len = sizeof(struct rte_ether_hdr);
    if (ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN))
    {
        ether_type = ((const struct rte_vlan_hdr *)(eth + 1))->eth_proto;
        l2_len += sizeof(struct rte_vlan_hdr);
    }
    const uint16_t csum_start = vnet->csum_start + inserted;
    if (csum_start <= l2_len || (uint32_t)csum_start + 20 > rte_pktmbuf_data_len(m))
    {
        return -1;
    }
    uint64_t flags;
    if (ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
    {
        flags = RTE_MBUF_F_TX_IPV4;
    }
    else if (ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6))
    {
        flags = RTE_MBUF_F_TX_IPV6;
    }
    else
    {
        return -1;
    }
    if (csum_start - l2_len < ((flags & RTE_MBUF_F_TX_IPV4) ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr)))
    {
        return -1; /* no room for the IP header the request implies */
    }
    m->l2_len = l2_len;
    m->l3_len = csum_start - l2_len;
    if (vnet->csum_offset == offsetof(struct rte_tcp_hdr, cksum))
    {
        flags |= RTE_MBUF_F_TX_TCP_CKSUM;
        m->l4_len = (rte_pktmbuf_mtod_offset(m, const struct rte_tcp_hdr *, csum_start)->data_off >> 4) * 4;
        if (m->l4_len < sizeof(struct rte_tcp_hdr) || (uint32_t)csum_start + m->l4_len > rte_pktmbuf_data_len(m))
        {
            return -1;
        }
    }
    else if (vnet->csum_offset == offsetof(struct rte_udp_hdr, dgram_cksum))
    {
        flags |= RTE_MBUF_F_TX_UDP_CKSUM;
        m->l4_len = sizeof(struct rte_udp_hdr);
    }
    else
    {
        return -1;
    }
    /* a segmentation needs its protocol's checksum request: compare the L4 field, not a bit of it
     * (UDP's value, 3, has TCP's bit set) */
    uint64_t segmentation = 0;
    uint64_t checksum = 0;
    switch (vnet->gso_type & ~VIRTIO_NET_HDR_GSO_ECN)
    {
        case VIRTIO_NET_HDR_GSO_NONE:
            break;
        case VIRTIO_NET_HDR_GSO_TCPV4:
        case VIRTIO_NET_HDR_GSO_TCPV6:
            segmentation = RTE_MBUF_F_TX_TCP_SEG;
            checksum = RTE_MBUF_F_TX_TCP_CKSUM;
            break;
        case VIRTIO_NET_HDR_GSO_UDP_L4:
            segmentation = RTE_MBUF_F_TX_UDP_SEG;
            checksum = RTE_MBUF_F_TX_UDP_CKSUM;
            break;
        default:
            return -1;
    }
    if (segmentation != 0)
    {
        if ((flags & RTE_MBUF_F_TX_L4_MASK) != checksum || vnet->gso_size == 0)
        {
            return -1;
        }
        flags |= segmentation;
        m->tso_segsz = vnet->gso_size;
    }
    m->ol_flags |= flags;
    return 0;
}

/* The mbuf's offload requests as a vnet header for the kernel. */
static void vs_mbuf_to_vnet(const struct rte_mbuf *m, struct virtio_net_hdr *vnet)
{
    memset(vnet, 0, sizeof(*vnet));
    const uint64_t flags = m->ol_flags;
    const uint64_t l4 = flags & RTE_MBUF_F_TX_L4_MASK;
    if (l4 != RTE_MBUF_F_TX_TCP_CKSUM && l4 != RTE_MBUF_F_TX_UDP_CKSUM)
    {
        return;
    }
    vnet->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    vnet->csum_start = m->l2_len + m->l3_len;
    vnet->csum_offset = l4 == RTE_MBUF_F_TX_TCP_CKSUM ?
        offsetof(struct rte_tcp_hdr, cksum) : offsetof(struct rte_udp_hdr, dgram_cksum);
    if (flags & RTE_MBUF_F_TX_TCP_SEG)
    {
        vnet->gso_type = (flags & RTE_MBUF_F_TX_IPV6) ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
    }
    else if (flags & RTE_MBUF_F_TX_UDP_SEG)
    {
        vnet->gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
    }
    if (vnet->gso_type != VIRTIO_NET_HDR_GSO_NONE)
    {
        vnet->gso_size = m->tso_segsz;
        vnet->hdr_len = m->l2_len + m->l3_len + m->l4_len;
    }
}

/*
 * Receives the frame a ring frame marked TP_STATUS_COPY stands for, from the socket's receive queue,
 * straight into a chain of mbufs for len bytes, its vnet header into vnet. NULL when there are no
 * mbufs (the queued frame is then read and discarded, so the queue stays in step with the ring).
 */
static struct rte_mbuf *vs_receive_queued(struct vs_pkt_port *port, uint32_t len, struct virtio_net_hdr *vnet)
{
    struct iovec iov[VS_PKT_RX_IOV];
    struct rte_mbuf *head = NULL;
    struct rte_mbuf *tail = NULL;
    unsigned int count = 1;
    uint32_t room = 0;
    iov[0].iov_base = vnet;
    iov[0].iov_len = sizeof(*vnet);
    while (room < len && count < VS_PKT_RX_IOV)
    {
        struct rte_mbuf *m = rte_pktmbuf_alloc(port->pool);
        if (m == NULL)
        {
            break;
        }
        if (head == NULL)
        {
            head = m;
        }
        else
        {
            m->data_off = 0; /* only the first segment needs headroom */
            tail->next = m;
            head->nb_segs++;
        }
        tail = m;
        iov[count].iov_base = rte_pktmbuf_mtod(m, void *);
        iov[count].iov_len = rte_pktmbuf_tailroom(m);
        room += iov[count].iov_len;
        count++;
    }
    struct msghdr message = { .msg_iov = iov, .msg_iovlen = count };
    const ssize_t received = recvmsg(port->rx.fd, &message, MSG_DONTWAIT);
    if (room < len || received < (ssize_t)sizeof(*vnet) || (message.msg_flags & MSG_TRUNC))
    {
        rte_pktmbuf_free(head);
        return NULL;
    }
    uint32_t left = (uint32_t)received - sizeof(*vnet);
    head->pkt_len = left;
    for (struct rte_mbuf *m = head; m != NULL; m = m->next)
    {
        m->data_len = (uint16_t)RTE_MIN(left, (uint32_t)rte_pktmbuf_tailroom(m));
        left -= m->data_len;
    }
    /* segments the frame did not fill (it was shorter than the ring said) stay, empty: harmless */
    return head;
}

uint16_t vs_pkt_rx(int port_id, struct rte_mbuf **pkts, uint16_t n)
{
    struct vs_pkt_port *port = vs_pkt_ports[port_id - VS_PKT_PORT_BASE];
    struct vs_ring *ring = &port->rx;
    uint16_t received = 0;
    while (received < n)
    {
        struct tpacket2_hdr *frame = vs_ring_frame(ring, ring->next);
        if (!(__atomic_load_n(&frame->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
        {
            break;
        }
        const uint8_t *data = (const uint8_t *)frame + frame->tp_mac;
        const struct virtio_net_hdr *vnet = (const struct virtio_net_hdr *)(data - sizeof(struct virtio_net_hdr));
        struct virtio_net_hdr queued_vnet;
        struct rte_mbuf *m = NULL;
        if (frame->tp_status & TP_STATUS_COPY)
        {
            /* larger than a ring frame: whole in the receive queue */
            vnet = &queued_vnet;
            if ((m = vs_receive_queued(port, frame->tp_len, &queued_vnet)) == NULL)
            {
                port->rx_nombuf++;
            }
        }
        else if (frame->tp_snaplen != frame->tp_len)
        {
            port->rx_truncated++; /* larger than a ring frame, and the receive queue was full */
        }
        else if ((m = vs_copy_in(port->pool, data, frame->tp_snaplen)) == NULL)
        {
            port->rx_nombuf++;
        }
        if (m != NULL)
        {
            uint16_t inserted = 0;
            if (frame->tp_status & TP_STATUS_VLAN_VALID)
            {
                /* the kernel took the tag off: it goes back where it was */
                m->vlan_tci = frame->tp_vlan_tci;
                inserted = rte_vlan_insert(&m) == 0 ? sizeof(struct rte_vlan_hdr) : 0;
            }
            if (vs_vnet_to_mbuf(vnet, m, inserted) != 0)
            {
                m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
                /* a checksum the switch cannot carry is done here; a segmentation it cannot, dropped */
                if (vnet->gso_type != VIRTIO_NET_HDR_GSO_NONE ||
                    vs_complete_checksum(m, vnet->csum_start + inserted, vnet->csum_offset) != 0)
                {
                    port->rx_unsupported++;
                    rte_pktmbuf_free(m);
                    m = NULL;
                }
            }
        }
        __atomic_store_n(&frame->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        ring->next = ring->next + 1 == ring->frames ? 0 : ring->next + 1;
        if (m != NULL)
        {
            pkts[received++] = m;
        }
    }
    return received;
}

uint16_t vs_pkt_tx(int port_id, uint16_t queue, struct rte_mbuf **pkts, uint16_t n)
{
    struct vs_txq *txq = vs_pkt_ports[port_id - VS_PKT_PORT_BASE]->tx[queue];
    uint16_t sent = 0;
    while (sent < n)
    {
        /* the kernel copies each frame from the mbufs' memory: nothing is copied here */
        const unsigned int count = RTE_MIN((unsigned int)(n - sent), (unsigned int)VS_PKT_TX_BURST);
        unsigned int framed = 0;
        for (; framed < count; framed++)
        {
            const struct rte_mbuf *m = pkts[sent + framed];
            if (m->nb_segs >= VS_PKT_TX_IOV)
            {
                break; /* more segments than iovecs: sent up to here, then refused */
            }
            struct iovec *iov = txq->iov[framed];
            vs_mbuf_to_vnet(m, &txq->vnet[framed]);
            unsigned int i = 1;
            for (const struct rte_mbuf *segment = m; segment != NULL; segment = segment->next, i++)
            {
                iov[i].iov_base = rte_pktmbuf_mtod(segment, void *);
                iov[i].iov_len = segment->data_len;
            }
            txq->messages[framed].msg_hdr.msg_iovlen = i;
        }
        /* nothing framed: the first frame has more segments than iovecs, so it is refused below */
        const int done = framed > 0 ? sendmmsg(txq->fd, txq->messages, framed, MSG_DONTWAIT) : -1;
        const int error = framed > 0 ? errno : EMSGSIZE;
        if (done > 0)
        {
            rte_pktmbuf_free_bulk(pkts + sent, (unsigned int)done);
            sent += done;
            continue; /* the rest: sent, or the failure of the first of them reported */
        }
        if (error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS || error == ENETDOWN || error == ENXIO ||
            n - sent <= 1)
        {
            break; /* the kernel holds a send buffer's worth, or the interface is down or gone */
        }
        /* a frame the kernel refuses (larger than the MTU without a segmentation request, a request it
         * rejects, too many segments) goes to the end for the caller to drop; the rest are still sent */
        struct rte_mbuf *refused = pkts[sent];
        memmove(pkts + sent, pkts + sent + 1, (size_t)(n - sent - 1) * sizeof(*pkts));
        pkts[--n] = refused;
    }
    return sent;
}
