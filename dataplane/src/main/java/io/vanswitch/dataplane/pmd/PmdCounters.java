package io.vanswitch.dataplane.pmd;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One PMD thread's counters in off-heap memory, laid out once as named offsets. The PMD thread is
 * the only writer (plain read, release store); the control thread reads with volatile loads and
 * sums over PMDs. Nothing is shared between writers, so no atomics are needed in the packet path.
 *
 * <pre>
 *   PMD block:  POLLS_BUSY, POLLS_IDLE, RX_PACKETS, TX_PACKETS, LEARN_EVENTS_LOST, COMMANDS,
 *               PROCESSING_NANOS, RX_SAMPLED_NANOS, RX_SAMPLED_PACKETS   (10 longs)
 *   port block: [MAX_PORTS] x (RX_PACKETS, RX_BYTES, TX_PACKETS, TX_BYTES, drops by DropReason...)
 *   VAN block:  [MAX_VANS]  x (RX_PACKETS, RX_BYTES, UNICAST, FLOODED, DROPPED, LEARNED, ENCAPSULATED, DECAPSULATED,
 *               ARP_PROXIED, 3 spare)
 *   underlay:   HostResponder codes (8), TX_REPLIES, NEIGHBOR_EVENTS_LOST, SENT_FOR_CONTROL, ... (32 longs)
 *   link block: [MAX_LINKS] x (RX/TX packets and bytes, drops by reason) for a proxy's peer proxies
 * </pre>
 */
public final class PmdCounters
{
    public static final int MAX_PORTS = 256;
    public static final int MAX_VANS = 4096;

    public static final int POLLS_BUSY = 0;
    public static final int POLLS_IDLE = 1;
    public static final int PMD_RX_PACKETS = 2;
    public static final int PMD_TX_PACKETS = 3;
    public static final int LEARN_EVENTS_LOST = 4;
    public static final int COMMANDS = 5;
    /** Time spent processing received bursts (stages and tx), excluding empty polls. */
    public static final int PROCESSING_NANOS = 6;
    /**
     * Time in the rx calls that returned frames in the timed duty cycles (one in PmdAgent's sample
     * interval), and the frames they returned: the cost of receiving a frame, which
     * PROCESSING_NANOS leaves out (from vhost-user it is the copy out of the guest's memory).
     */
    public static final int RX_SAMPLED_NANOS = 7;
    public static final int RX_SAMPLED_PACKETS = 8;
    public static final int PMD_COUNTERS = 10;

    public static final int PORT_RX_PACKETS = 0;
    public static final int PORT_RX_BYTES = 1;
    public static final int PORT_TX_PACKETS = 2;
    public static final int PORT_TX_BYTES = 3;
    public static final int PORT_DROPS_BASE = 4;
    public static final int PORT_COUNTERS = 16;

    public static final int VAN_RX_PACKETS = 0;
    public static final int VAN_RX_BYTES = 1;
    public static final int VAN_UNICAST = 2;
    public static final int VAN_FLOODED = 3;
    public static final int VAN_DROPPED = 4;
    public static final int VAN_LEARNED = 5;
    public static final int VAN_ENCAPSULATED = 6;
    public static final int VAN_DECAPSULATED = 7;
    public static final int VAN_ARP_PROXIED = 8;
    public static final int VAN_COUNTERS = 12;

    /** Underlay: one counter per HostResponder code (0..7), then these. */
    public static final int UNDERLAY_CODES_BASE = 0;
    public static final int UNDERLAY_TX_REPLIES = 8;
    public static final int UNDERLAY_NEIGHBOR_EVENTS_LOST = 9;
    public static final int UNDERLAY_SENT_FOR_CONTROL = 10;
    public static final int UNDERLAY_CONTROL_SEND_FAILED = 11;
    public static final int UNDERLAY_ENCAPSULATED = 12;
    public static final int UNDERLAY_DECAPSULATED = 13;
    public static final int UNDERLAY_FLOOD_COPIES = 14;
    public static final int UNDERLAY_DROP_OVERSIZE = 15;
    public static final int UNDERLAY_DROP_NO_HEADROOM = 16;
    public static final int UNDERLAY_DROP_COPY_FAILED = 17;
    public static final int UNDERLAY_DROP_UNKNOWN_VAN = 18;
    public static final int UNDERLAY_DROP_UNKNOWN_PEER = 19;
    /** One per VanFrameCheck result (OK unused): 20..24. */
    public static final int UNDERLAY_VAN_CHECK_BASE = 20;
    public static final int UNDERLAY_DROP_NOT_HERE = 25;
    public static final int UNDERLAY_SIGNALS_RECEIVED = 26;
    public static final int UNDERLAY_EVENTS_LOST = 27;
    public static final int UNDERLAY_DROP_NO_UNDERLAY = 28;
    /** Public port (a proxy's): frames passed to the kernel's interface (ARP, the TLS session, ping). */
    public static final int PUBLIC_PUNTED = 29;
    /** Public port: frames the kernel's interface sent out through it. */
    public static final int PUBLIC_FROM_KERNEL = 30;
    /** Public port: sealed datagrams from an address that is no peer proxy. */
    public static final int PUBLIC_UNKNOWN_SENDER = 31;
    public static final int UNDERLAY_COUNTERS = 32;

    /** The slot the underlay port uses for its rx/tx counters and tx queue: never a VAN port's. */
    public static final int UNDERLAY_SLOT = MAX_PORTS - 1;
    /** A proxy's public (inter-site) port. */
    public static final int PUBLIC_SLOT = MAX_PORTS - 2;
    /** The kernel interface behind a proxy's public port (its exception path). */
    public static final int PUNT_SLOT = MAX_PORTS - 3;
    /** Slots below this are VAN ports'. */
    public static final int VAN_PORT_SLOTS = MAX_PORTS - 3;

    /** Peer proxies (federation links), each with its own counters. */
    public static final int MAX_LINKS = 64;
    public static final int LINK_RX_PACKETS = 0;
    public static final int LINK_RX_BYTES = 1;
    public static final int LINK_TX_PACKETS = 2;
    public static final int LINK_TX_BYTES = 3;
    /** A frame of a VAN the link does not map (either direction). */
    public static final int LINK_DROP_UNMAPPED_VAN = 4;
    /** Nothing to seal with yet (no key agreed). */
    public static final int LINK_DROP_NO_KEY = 5;
    public static final int LINK_DROP_OVERSIZE = 6;
    /** A signal on the data channel: signals cross only inside the TLS session. */
    public static final int LINK_DROP_NOT_FRAME = 7;
    /** Rejected by the opener: base + the FrameOpener's reason (1..7). */
    public static final int LINK_OPEN_FAILED_BASE = 8;
    public static final int LINK_COUNTERS = 16;

    private static final int PORT_BLOCK_OFFSET = PMD_COUNTERS * Long.BYTES;
    private static final int VAN_BLOCK_OFFSET = PORT_BLOCK_OFFSET + MAX_PORTS * PORT_COUNTERS * Long.BYTES;
    private static final int UNDERLAY_BLOCK_OFFSET = VAN_BLOCK_OFFSET + MAX_VANS * VAN_COUNTERS * Long.BYTES;
    private static final int LINK_BLOCK_OFFSET = UNDERLAY_BLOCK_OFFSET + UNDERLAY_COUNTERS * Long.BYTES;
    public static final int LENGTH = LINK_BLOCK_OFFSET + MAX_LINKS * LINK_COUNTERS * Long.BYTES;

    static
    {
        if (PORT_DROPS_BASE + DropReason.count() > PORT_COUNTERS)
        {
            throw new IllegalStateException("PORT_COUNTERS too small for DropReason");
        }
    }

    private final UnsafeBuffer buffer;

    public PmdCounters()
    {
        buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(LENGTH, 64));
    }

    private static int pmdOffset(final int counter)
    {
        return counter * Long.BYTES;
    }

    private static int portOffset(final int slot, final int counter)
    {
        return PORT_BLOCK_OFFSET + (slot * PORT_COUNTERS + counter) * Long.BYTES;
    }

    private static int vanOffset(final int vanIndex, final int counter)
    {
        return VAN_BLOCK_OFFSET + (vanIndex * VAN_COUNTERS + counter) * Long.BYTES;
    }

    private void add(final int offset, final long delta)
    {
        buffer.putLongRelease(offset, buffer.getLong(offset) + delta);
    }

    // ---- writer side: the owning PMD thread only ----

    public void addPmd(final int counter, final long delta)
    {
        add(pmdOffset(counter), delta);
    }

    public void addPort(final int slot, final int counter, final long delta)
    {
        add(portOffset(slot, counter), delta);
    }

    public void addPortDrop(final int slot, final DropReason reason, final long delta)
    {
        add(portOffset(slot, PORT_DROPS_BASE + reason.ordinal()), delta);
    }

    public void addVan(final int vanIndex, final int counter, final long delta)
    {
        add(vanOffset(vanIndex, counter), delta);
    }

    public void addUnderlay(final int counter, final long delta)
    {
        add(UNDERLAY_BLOCK_OFFSET + counter * Long.BYTES, delta);
    }

    public void addLink(final int link, final int counter, final long delta)
    {
        add(LINK_BLOCK_OFFSET + (link * LINK_COUNTERS + counter) * Long.BYTES, delta);
    }

    public long link(final int link, final int counter)
    {
        return buffer.getLongVolatile(LINK_BLOCK_OFFSET + (link * LINK_COUNTERS + counter) * Long.BYTES);
    }

    /** Zeroes a link's counters when its number is given to a new peer. */
    public void resetLink(final int link)
    {
        for (int i = 0; i < LINK_COUNTERS; i++)
        {
            buffer.putLongRelease(LINK_BLOCK_OFFSET + (link * LINK_COUNTERS + i) * Long.BYTES, 0);
        }
    }

    public long underlay(final int counter)
    {
        return buffer.getLongVolatile(UNDERLAY_BLOCK_OFFSET + counter * Long.BYTES);
    }

    /** Zeroes a port slot's counters when the slot is given to a new port. */
    public void resetPort(final int slot)
    {
        for (int i = 0; i < PORT_COUNTERS; i++)
        {
            buffer.putLongRelease(portOffset(slot, i), 0);
        }
    }

    public void resetVan(final int vanIndex)
    {
        for (int i = 0; i < VAN_COUNTERS; i++)
        {
            buffer.putLongRelease(vanOffset(vanIndex, i), 0);
        }
    }

    // ---- reader side: any thread ----

    public long pmd(final int counter)
    {
        return buffer.getLongVolatile(pmdOffset(counter));
    }

    public long port(final int slot, final int counter)
    {
        return buffer.getLongVolatile(portOffset(slot, counter));
    }

    public long portDrop(final int slot, final DropReason reason)
    {
        return port(slot, PORT_DROPS_BASE + reason.ordinal());
    }

    public long van(final int vanIndex, final int counter)
    {
        return buffer.getLongVolatile(vanOffset(vanIndex, counter));
    }
}
