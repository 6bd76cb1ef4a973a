/*
 * vanswitch shim: DPDK's static inline fast-path functions and thread-local state, exported as
 * plain symbols so Java can bind them with FFM downcalls (see DpdkShim.java). Nothing here keeps
 * state or allocates; each function is a thin, non-blocking wrapper that never calls back into Java.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <stdint.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

uint16_t vs_rx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n)
{
    return rte_eth_rx_burst(port, queue, pkts, n);
}

uint16_t vs_tx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n)
{
    return rte_eth_tx_burst(port, queue, pkts, n);
}

void vs_pktmbuf_free(struct rte_mbuf *m)
{
    rte_pktmbuf_free(m);
}

void vs_pktmbuf_free_bulk(struct rte_mbuf **pkts, unsigned int n)
{
    rte_pktmbuf_free_bulk(pkts, n);
}

struct rte_mbuf *vs_pktmbuf_alloc(struct rte_mempool *pool)
{
    return rte_pktmbuf_alloc(pool);
}

/* n mbufs in one call, all or none: 0, or -ENOENT when the pool has fewer. The load generator
 * builds a burst at a time and one call per burst instead of per frame is its biggest saving. */
int vs_pktmbuf_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, unsigned int n)
{
    return rte_pktmbuf_alloc_bulk(pool, mbufs, n);
}

/* Adds delta to the mbuf's reference count: a flooded frame is sent to n ports with n-1 extra references. */
void vs_mbuf_refcnt_update(struct rte_mbuf *m, int16_t delta)
{
    rte_mbuf_refcnt_update(m, delta);
}

int vs_errno(void)
{
    return rte_errno;
}

unsigned int vs_lcore_id(void)
{
    return rte_lcore_id();
}

/* Pins the calling thread to one CPU; returns 0 or an errno value. */
int vs_pin_current_thread(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/*
 * Sets the CPU affinity of any thread of this process (Linux thread id) to the CPUs in mask (bit n =
 * CPU n, CPUs 0..63). The daemon uses it to keep the JVM's own threads (JIT, GC, control) off the PMD
 * cores. Returns 0 or an errno value.
 */
int vs_set_thread_affinity(int tid, uint64_t mask)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int cpu = 0; cpu < 64; cpu++)
    {
        if (mask & (1ULL << cpu))
        {
            CPU_SET(cpu, &set);
        }
    }
    return sched_setaffinity(tid, sizeof(set), &set) == 0 ? 0 : errno;
}

/* A deep copy of a (possibly multi-segment) mbuf into one from pool: one per remote flood target,
 * since each copy gets its own outer headers. NULL when the pool is empty. */
struct rte_mbuf *vs_pktmbuf_copy(struct rte_mbuf *m, struct rte_mempool *pool)
{
    return rte_pktmbuf_copy(m, pool, 0, UINT32_MAX);
}
