/*
 * vanswitch shim: DPDK's static inline fast-path functions and thread-local state, exported as
 * plain symbols so Java can bind them with FFM downcalls (see DpdkShim.java). Nothing here keeps
 * state or allocates per packet; each function is a thin, non-blocking wrapper that never calls back
 * into Java. Packet-socket ports (vs_packet_port.c) and software offloads (vs_offload.c) are the
 * shim's own code: DPDK has no AF_PACKET driver that keeps the kernel's offload state. The AEAD functions at the end wrap OpenSSL's AES-256-GCM so that sealing or opening a
 * federation frame is one downcall instead of the five or six EVP calls it takes.
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
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include "vs_packet_port.h"

/* Port ids from VS_PKT_PORT_BASE on are packet-socket ports (vs_packet_port.c), the rest ethdevs. */
uint16_t vs_rx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n)
{
    if (unlikely(port >= VS_PKT_PORT_BASE))
    {
        return vs_pkt_rx(port, pkts, n);
    }
    return rte_eth_rx_burst(port, queue, pkts, n);
}

uint16_t vs_tx_burst(uint16_t port, uint16_t queue, struct rte_mbuf **pkts, uint16_t n)
{
    if (unlikely(port >= VS_PKT_PORT_BASE))
    {
        return vs_pkt_tx(port, queue, pkts, n);
    }
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

/*
 * AES-256-GCM for federation frames (FrameSealer, FrameOpener). A context is made once per key and
 * direction (encrypt != 0 seals, 0 opens) and then used by one thread only; per packet only the
 * nonce changes, so the key schedule is computed here once and never again. NULL on failure.
 */
EVP_CIPHER_CTX *vs_aead_create(const uint8_t *key, int encrypt)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL)
    {
        return NULL;
    }
    if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, NULL, encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1)
    {
        EVP_CIPHER_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* Frees the context and with it (OPENSSL_cleanse) the key schedule. NULL is a no-op. */
void vs_aead_free(EVP_CIPHER_CTX *ctx)
{
    EVP_CIPHER_CTX_free(ctx);
}

/* The 96-bit nonce as RFC 5116 3.2 lays it out: a 4-byte fixed field, then an 8-byte counter, both big-endian. */
static inline void vs_aead_nonce(uint8_t *iv, uint32_t fixed, uint64_t counter)
{
    for (int i = 0; i < 4; i++)
    {
        iv[i] = (uint8_t)(fixed >> (24 - 8 * i));
    }
    for (int i = 0; i < 8; i++)
    {
        iv[4 + i] = (uint8_t)(counter >> (56 - 8 * i));
    }
}

/*
 * Encrypts len bytes at data in place, authenticating aad_len bytes at aad too, and writes the
 * 16-byte tag to tag. The nonce is built on the stack from its two parts, so the caller needs no
 * scratch memory. Returns 0, or -1 when OpenSSL fails (it does not, short of a corrupt context).
 */
int vs_aead_seal(EVP_CIPHER_CTX *ctx, uint32_t nonce_fixed, uint64_t nonce_counter,
                 const uint8_t *aad, int aad_len, uint8_t *data, int len, uint8_t *tag)
{
    uint8_t iv[12];
    int out_len;
    /* the tag through a parameter, not EVP_CIPHER_CTX_ctrl: OpenSSL 3 would build this array itself (~20 ns) */
    OSSL_PARAM tag_params[2] = { OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, 16), OSSL_PARAM_construct_end() };
    vs_aead_nonce(iv, nonce_fixed, nonce_counter);
    if (EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, iv) != 1 ||
        EVP_EncryptUpdate(ctx, NULL, &out_len, aad, aad_len) != 1 ||
        EVP_EncryptUpdate(ctx, data, &out_len, data, len) != 1 ||
        EVP_EncryptFinal_ex(ctx, data + out_len, &out_len) != 1 ||
        EVP_CIPHER_CTX_get_params(ctx, tag_params) != 1)
    {
        return -1;
    }
    return 0;
}

/*
 * Decrypts len bytes at data in place, checking the 16-byte tag at tag over aad and the ciphertext.
 * Returns 0 when the frame is authentic, -1 when not: then data holds garbage the caller must drop.
 */
int vs_aead_open(EVP_CIPHER_CTX *ctx, uint32_t nonce_fixed, uint64_t nonce_counter,
                 const uint8_t *aad, int aad_len, uint8_t *data, int len, uint8_t *tag)
{
    uint8_t iv[12];
    int out_len;
    OSSL_PARAM tag_params[2] = { OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, 16), OSSL_PARAM_construct_end() };
    vs_aead_nonce(iv, nonce_fixed, nonce_counter);
    if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, iv) != 1 ||
        EVP_DecryptUpdate(ctx, NULL, &out_len, aad, aad_len) != 1 ||
        EVP_DecryptUpdate(ctx, data, &out_len, data, len) != 1 ||
        EVP_CIPHER_CTX_set_params(ctx, tag_params) != 1 ||
        EVP_DecryptFinal_ex(ctx, data + out_len, &out_len) != 1)
    {
        return -1;
    }
    return 0;
}
