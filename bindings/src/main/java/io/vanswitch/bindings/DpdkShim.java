package io.vanswitch.bindings;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Hand-written FFM downcalls into {@code libvanswitch_shim.so}: DPDK's static inline fast-path
 * functions (rx/tx burst, mbuf alloc/free/refcount) and thread-local {@code rte_errno}, which
 * jextract cannot bind. Pointers cross as {@code long} addresses so the packet path creates no
 * {@code MemorySegment}s. The burst calls are {@code critical}: they never block and never call back.
 * <p>
 * Loading this class loads the shim, which links the DPDK libraries, so the generated
 * {@code io.vanswitch.bindings.dpdk.Dpdk} symbols resolve through it: call {@link #load()} first.
 * <p>
 * The {@code aead*} functions are OpenSSL's AES-256-GCM (libcrypto, linked by the shim), one
 * downcall per frame; they need no EAL.
 */
public final class DpdkShim
{
    public static final String SHIM_PATH_PROPERTY = "vanswitch.shim";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP;

    private static final MethodHandle RX_BURST;
    private static final MethodHandle TX_BURST;
    private static final MethodHandle PKTMBUF_FREE;
    private static final MethodHandle PKTMBUF_FREE_BULK;
    private static final MethodHandle PKTMBUF_ALLOC;
    private static final MethodHandle PKTMBUF_ALLOC_BULK;
    private static final MethodHandle MBUF_REFCNT_UPDATE;
    private static final MethodHandle ERRNO;
    private static final MethodHandle LCORE_ID;
    private static final MethodHandle PIN_CURRENT_THREAD;
    private static final MethodHandle SET_THREAD_AFFINITY;
    private static final MethodHandle PKTMBUF_COPY;
    private static final MethodHandle AEAD_CREATE;
    private static final MethodHandle AEAD_FREE;
    private static final MethodHandle AEAD_SEAL;
    private static final MethodHandle AEAD_OPEN;
    private static final MethodHandle PKT_OPEN;
    private static final MethodHandle PKT_CLOSE;
    private static final MethodHandle PKT_LINK_UP;
    private static final MethodHandle PKT_MAC;
    private static final MethodHandle PKT_RX_MISSED;
    private static final MethodHandle PKT_SET_BYPASS;
    private static final MethodHandle SOFT_OFFLOAD;

    /** Port ids from here on are the shim's packet-socket ports (VS_PKT_PORT_BASE), below it ethdevs. */
    public static final int PACKET_SOCKET_PORT_BASE = 0x4000;

    static
    {
        System.load(locate().toString());
        LOOKUP = SymbolLookup.loaderLookup();
        final Linker.Option critical = Linker.Option.critical(false);
        RX_BURST = downcall("vs_rx_burst", FunctionDescriptor.of(JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_LONG, JAVA_SHORT), critical);
        TX_BURST = downcall("vs_tx_burst", FunctionDescriptor.of(JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_LONG, JAVA_SHORT), critical);
        PKTMBUF_FREE = downcall("vs_pktmbuf_free", FunctionDescriptor.ofVoid(JAVA_LONG), critical);
        PKTMBUF_FREE_BULK = downcall("vs_pktmbuf_free_bulk", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT), critical);
        PKTMBUF_ALLOC = downcall("vs_pktmbuf_alloc", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), critical);
        PKTMBUF_ALLOC_BULK = downcall("vs_pktmbuf_alloc_bulk", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), critical);
        MBUF_REFCNT_UPDATE = downcall("vs_mbuf_refcnt_update", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_SHORT), critical);
        ERRNO = downcall("vs_errno", FunctionDescriptor.of(JAVA_INT));
        LCORE_ID = downcall("vs_lcore_id", FunctionDescriptor.of(JAVA_INT));
        PIN_CURRENT_THREAD = downcall("vs_pin_current_thread", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        PKTMBUF_COPY = downcall("vs_pktmbuf_copy", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), critical);
        SET_THREAD_AFFINITY = downcall("vs_set_thread_affinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        AEAD_CREATE = downcall("vs_aead_create", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT));
        AEAD_FREE = downcall("vs_aead_free", FunctionDescriptor.ofVoid(JAVA_LONG));
        // per frame: a microsecond at most for 9000 bytes with AES-NI, and never blocks
        final FunctionDescriptor aead = FunctionDescriptor.of(
            JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG);
        AEAD_SEAL = downcall("vs_aead_seal", aead, critical);
        AEAD_OPEN = downcall("vs_aead_open", aead, critical);
        PKT_OPEN = downcall("vs_pkt_open", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG));
        PKT_CLOSE = downcall("vs_pkt_close", FunctionDescriptor.ofVoid(JAVA_INT));
        PKT_LINK_UP = downcall("vs_pkt_link_up", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        PKT_MAC = downcall("vs_pkt_mac", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        PKT_RX_MISSED = downcall("vs_pkt_rx_missed", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        PKT_SET_BYPASS = downcall("vs_pkt_set_bypass", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
        // per offloaded frame: copies at most 64 KiB, never blocks
        SOFT_OFFLOAD = downcall("vs_soft_offload", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT), critical);
    }

    private DpdkShim()
    {
    }

    /**
     * Ensures the shim (and through it the DPDK libraries) is loaded.
     */
    public static void load()
    {
        // the static initialiser does the work
    }

    public static int rxBurst(final int portId, final int queueId, final long mbufArrayAddress, final int maxPackets)
    {
        try
        {
            return (short)RX_BURST.invokeExact((short)portId, (short)queueId, mbufArrayAddress, (short)maxPackets) & 0xFFFF;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    public static int txBurst(final int portId, final int queueId, final long mbufArrayAddress, final int count)
    {
        try
        {
            return (short)TX_BURST.invokeExact((short)portId, (short)queueId, mbufArrayAddress, (short)count) & 0xFFFF;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    public static void pktmbufFree(final long mbuf)
    {
        try
        {
            PKTMBUF_FREE.invokeExact(mbuf);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    public static void pktmbufFreeBulk(final long mbufArrayAddress, final int count)
    {
        try
        {
            PKTMBUF_FREE_BULK.invokeExact(mbufArrayAddress, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * @return the new mbuf's address, or 0 when the pool is empty.
     */
    public static long pktmbufAlloc(final long mempool)
    {
        try
        {
            return (long)PKTMBUF_ALLOC.invokeExact(mempool);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Allocates {@code count} mbufs into the native pointer array at {@code mbufArrayAddress}, all or none.
     *
     * @return 0, or a negative errno (-ENOENT) when the pool has fewer.
     */
    public static int pktmbufAllocBulk(final long mempool, final long mbufArrayAddress, final int count)
    {
        try
        {
            return (int)PKTMBUF_ALLOC_BULK.invokeExact(mempool, mbufArrayAddress, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * @return a deep copy of the mbuf from the pool, or 0 when the pool is empty.
     */
    public static long pktmbufCopy(final long mbuf, final long mempool)
    {
        try
        {
            return (long)PKTMBUF_COPY.invokeExact(mbuf, mempool);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    public static void mbufRefcntUpdate(final long mbuf, final int delta)
    {
        try
        {
            MBUF_REFCNT_UPDATE.invokeExact(mbuf, (short)delta);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    public static int errno()
    {
        try
        {
            return (int)ERRNO.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    public static int lcoreId()
    {
        try
        {
            return (int)LCORE_ID.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * @return 0, or the errno value from pthread_setaffinity_np.
     */
    public static int pinCurrentThread(final int cpu)
    {
        try
        {
            return (int)PIN_CURRENT_THREAD.invokeExact(cpu);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Restricts one thread of this process (Linux thread id) to the CPUs of {@code cpuMask}.
     *
     * @return 0, or the errno value from sched_setaffinity.
     */
    public static int setThreadAffinity(final int tid, final long cpuMask)
    {
        try
        {
            return (int)SET_THREAD_AFFINITY.invokeExact(tid, cpuMask);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * An AES-256-GCM context with the key schedule of the 32 bytes at {@code keyAddress}, for one
     * direction and one thread. Not for the packet path: OpenSSL allocates.
     *
     * @param encrypt true for {@link #aeadSeal}, false for {@link #aeadOpen}.
     * @return the context's address, or 0 when OpenSSL fails.
     */
    public static long aeadCreate(final long keyAddress, final boolean encrypt)
    {
        try
        {
            return (long)AEAD_CREATE.invokeExact(keyAddress, encrypt ? 1 : 0);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Frees a context from {@link #aeadCreate} (OpenSSL wipes the key schedule); 0 is a no-op.
     */
    public static void aeadFree(final long context)
    {
        try
        {
            AEAD_FREE.invokeExact(context);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Encrypts {@code length} bytes in place and writes the 16-byte tag; the 12-byte nonce is
     * {@code nonceFixed} then {@code nonceCounter}, both big-endian.
     *
     * @return 0, or -1 when OpenSSL fails.
     */
    public static int aeadSeal(
        final long context, final int nonceFixed, final long nonceCounter, final long aadAddress, final int aadLength,
        final long dataAddress, final int length, final long tagAddress)
    {
        try
        {
            return (int)AEAD_SEAL.invokeExact(context, nonceFixed, nonceCounter, aadAddress, aadLength, dataAddress, length, tagAddress);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Decrypts {@code length} bytes in place and checks the 16-byte tag at {@code tagAddress}.
     *
     * @return 0 when authentic, -1 when not (then the data is garbage).
     */
    public static int aeadOpen(
        final long context, final int nonceFixed, final long nonceCounter, final long aadAddress, final int aadLength,
        final long dataAddress, final int length, final long tagAddress)
    {
        try
        {
            return (int)AEAD_OPEN.invokeExact(context, nonceFixed, nonceCounter, aadAddress, aadLength, dataAddress, length, tagAddress);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Opens a packet-socket port on the kernel interface named by the NUL-terminated string at
     * {@code ifnameAddress}: one rx ring, one tx ring per tx queue, receiving into the mempool.
     *
     * @return the port id ({@link #PACKET_SOCKET_PORT_BASE} and up), or a negative errno.
     */
    public static int packetPortOpen(final long ifnameAddress, final int txQueues, final long mempool)
    {
        try
        {
            return (int)PKT_OPEN.invokeExact(ifnameAddress, txQueues, mempool);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** Closes a packet-socket port; no PMD may poll it any more. Unknown ids are a no-op. */
    public static void packetPortClose(final int portId)
    {
        try
        {
            PKT_CLOSE.invokeExact(portId);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** @return whether the port's interface is up and has a carrier. */
    public static boolean packetPortLinkUp(final int portId)
    {
        try
        {
            return (int)PKT_LINK_UP.invokeExact(portId) != 0;
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** @return the interface's MAC (48 bits, first octet most significant), or -1. */
    public static long packetPortMac(final int portId)
    {
        try
        {
            return (long)PKT_MAC.invokeExact(portId);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Keeps frames of the given (source, destination) MAC pairs from the port's rx socket: the kernel
     * forwards them itself. Control thread only.
     *
     * @param pairsAddress count pairs of 64-bit MACs (source, destination), or 0 with count 0 to see every frame again.
     * @return 0 or a negative errno (-E2BIG above 256 pairs).
     */
    public static int packetPortSetBypass(final int portId, final long pairsAddress, final int count)
    {
        try
        {
            return (int)PKT_SET_BYPASS.invokeExact(portId, pairsAddress, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** @return frames lost before the switch saw them (ring full, truncated, no mbuf, unsupported offload). */
    public static long packetPortRxMissed(final int portId)
    {
        try
        {
            return (long)PKT_RX_MISSED.invokeExact(portId);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * Does a frame's checksum and segmentation requests in software (vs_soft_offload): puts the
     * frame, or its segments from the mempool, in the native pointer array. Consumes the frame.
     *
     * @return how many frames were put in the array, or a negative errno (the frame is freed).
     */
    public static int softOffload(final long mbuf, final long mempool, final long mbufArrayAddress, final int max)
    {
        try
        {
            return (int)SOFT_OFFLOAD.invokeExact(mbuf, mempool, mbufArrayAddress, max);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * The shim's location: the {@value #SHIM_PATH_PROPERTY} system property, else the build output
     * relative to the working directory or its parent (module tests run from the module folder).
     */
    static Path locate()
    {
        final String configured = System.getProperty(SHIM_PATH_PROPERTY);
        if (null != configured && !configured.isEmpty())
        {
            final Path path = Path.of(configured);
            if (Files.isRegularFile(path))
            {
                return path.toAbsolutePath();
            }
            throw new IllegalStateException("vanswitch shim not found at " + path +
                " (-D" + SHIM_PATH_PROPERTY + "): build it with 'mvn -pl bindings compile'");
        }
        for (final String candidate : new String[]{
            "bindings/target/native/libvanswitch_shim.so", "../bindings/target/native/libvanswitch_shim.so" })
        {
            final Path path = Path.of(candidate);
            if (Files.isRegularFile(path))
            {
                return path.toAbsolutePath();
            }
        }
        throw new IllegalStateException("vanswitch shim libvanswitch_shim.so not found: set -D" + SHIM_PATH_PROPERTY +
            "=PATH or build it with 'mvn -pl bindings compile'");
    }

    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor, final Linker.Option... options)
    {
        return LINKER.downcallHandle(
            LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("shim symbol not found: " + name)),
            descriptor,
            options);
    }

    private static RuntimeException rethrow(final Throwable t)
    {
        if (t instanceof RuntimeException re)
        {
            return re;
        }
        if (t instanceof Error e)
        {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
