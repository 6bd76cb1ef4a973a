package io.vanswitch.dataplane.pipeline;

/**
 * The packet path's narrow interface to the device layer: bursts in and out of ethdev queues and
 * mbuf reference management, all on native addresses. {@code DpdkPacketIo} is the real one; unit
 * tests of pure forwarding logic use an in-memory one.
 */
public interface PacketIo
{
    /** Receives up to {@code max} mbuf pointers into the native array at {@code mbufArray}. */
    int rxBurst(int portId, int queueId, long mbufArray, int max);

    /** Transmits {@code count} mbufs; returns how many the queue took (the caller frees the rest). */
    int txBurst(int portId, int queueId, long mbufArray, int count);

    void free(long mbuf);

    /**
     * Does in software the checksum and segmentation a frame from a packet-socket port asks for (the
     * sending kernel's offload requests, which it carries in its mbuf), for an egress that cannot:
     * puts the frame itself, or its segments, into the native pointer array. Consumes the frame.
     *
     * @return how many frames are in the array, or negative when the frame was dropped.
     */
    default int softOffload(final long mbuf, final long mbufArray, final int max)
    {
        org.agrona.UnsafeApi.putLong(mbufArray, mbuf);
        return 1;
    }

    /**
     * Allocates an mbuf from the switch's pool, for frames the switch itself originates (signals,
     * ARP requests): never on the forwarding path.
     *
     * @return the mbuf's address, or 0 when the pool is empty (or this device layer cannot).
     */
    default long alloc()
    {
        return 0;
    }

    /**
     * Allocates {@code count} mbufs into the native pointer array at {@code mbufArray}, all or none
     * (rte_pktmbuf_alloc_bulk), for a caller that builds whole bursts (the load generator).
     *
     * @return 0, or negative when the pool has fewer (or this device layer cannot).
     */
    default int allocBulk(final long mbufArray, final int count)
    {
        return -1;
    }

    /**
     * A deep copy of an mbuf, for a flooded frame that each remote edge receives with its own
     * outer headers.
     *
     * @return the copy's address, or 0 when the pool is empty (or this device layer cannot).
     */
    default long copy(final long mbuf)
    {
        return 0;
    }

    void freeBulk(long mbufArray, int count);

    /** Adds to the reference count of an mbuf that will be transmitted more than once. */
    void refcntUpdate(long mbuf, int delta);

    /** Called on the PMD thread before its first duty cycle (register with EAL, pin). */
    void onThreadStart(int cpu);

    /** Called on the PMD thread after its last duty cycle. */
    void onThreadStop();
}
