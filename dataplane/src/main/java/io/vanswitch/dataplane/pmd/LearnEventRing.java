package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.pipeline.LearnEvents;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * PMD thread to control thread: the MACs a PMD learned or saw move, as fixed-size records in an
 * off-heap one-to-one ring (no allocation on the packet path). When the ring is full the event is
 * counted as lost; the PMD's own table is still right, only the control view lags.
 *
 * <pre>
 *   record LEARNED: vanIndex (int, 0) | slot (int, 4) | mac (long, 8) | generation (int, 16)
 * </pre>
 */
public final class LearnEventRing implements LearnEvents
{
    public static final int MSG_LEARNED = 1;
    /** An underlay neighbour seen (ARP): ip (int, 0) | mac (long, 8). */
    public static final int MSG_NEIGHBOR = 2;
    public static final int NEIGHBOR_IP_OFFSET = 0;
    public static final int NEIGHBOR_MAC_OFFSET = 8;
    public static final int NEIGHBOR_RECORD_LENGTH = 16;
    /** A FLOOD from a peer reached the host where its destination lives: vanIndex | edge | mac. */
    public static final int MSG_FLOOD_FOR_LOCAL = 3;
    /** DATA from a peer for a MAC that does not live here: vanIndex | edge | mac. */
    public static final int MSG_DATA_NOT_HERE = 4;
    /** DATA from a peer for a VAN this host does not serve: vanId (in the vanIndex field) | edge | mac. */
    public static final int MSG_UNKNOWN_VAN_DATA = 6;
    public static final int OVERLAY_VAN_INDEX_OFFSET = 0;
    public static final int OVERLAY_EDGE_OFFSET = 4;
    public static final int OVERLAY_MAC_OFFSET = 8;
    public static final int OVERLAY_RECORD_LENGTH = 16;
    /** A signal (LEARN, UNLEARN, HEALTH, ...) for the control thread: senderIp | VAN header and body. */
    public static final int MSG_SIGNAL = 5;
    public static final int SIGNAL_SENDER_OFFSET = 0;
    public static final int SIGNAL_BODY_OFFSET = 4;
    public static final int MAX_SIGNAL_LENGTH = 1500;
    public static final int VAN_INDEX_OFFSET = 0;
    public static final int SLOT_OFFSET = 4;
    public static final int MAC_OFFSET = 8;
    public static final int GENERATION_OFFSET = 16;
    public static final int RECORD_LENGTH = 20;

    private static final int CAPACITY = 64 * 1024;

    private final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    private final UnsafeBuffer record = new UnsafeBuffer(BufferUtil.allocateDirectAligned(32, 8));
    private final UnsafeBuffer signalRecord = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_SIGNAL_LENGTH + 8, 8));
    private final PmdCounters counters;

    public LearnEventRing(final PmdCounters counters)
    {
        this.counters = counters;
    }

    public void onLearned(final int vanIndex, final long mac, final int slot, final int generation)
    {
        record.putInt(VAN_INDEX_OFFSET, vanIndex);
        record.putInt(SLOT_OFFSET, slot);
        record.putLong(MAC_OFFSET, mac);
        record.putInt(GENERATION_OFFSET, generation);
        if (!ring.write(MSG_LEARNED, record, 0, RECORD_LENGTH))
        {
            counters.addPmd(PmdCounters.LEARN_EVENTS_LOST, 1);
        }
    }

    /** PMD thread: an underlay host's IP and MAC, seen in ARP. */
    public void onNeighbor(final int ip, final long mac)
    {
        record.putInt(NEIGHBOR_IP_OFFSET, ip);
        record.putLong(NEIGHBOR_MAC_OFFSET, mac);
        if (!ring.write(MSG_NEIGHBOR, record, 0, NEIGHBOR_RECORD_LENGTH))
        {
            counters.addUnderlay(PmdCounters.UNDERLAY_NEIGHBOR_EVENTS_LOST, 1);
        }
    }

    /** PMD thread: MSG_FLOOD_FOR_LOCAL or MSG_DATA_NOT_HERE. */
    public void onOverlayEvent(final int type, final int vanIndex, final long mac, final int edgeIndex)
    {
        record.putInt(OVERLAY_VAN_INDEX_OFFSET, vanIndex);
        record.putInt(OVERLAY_EDGE_OFFSET, edgeIndex);
        record.putLong(OVERLAY_MAC_OFFSET, mac);
        if (!ring.write(type, record, 0, OVERLAY_RECORD_LENGTH))
        {
            counters.addUnderlay(PmdCounters.UNDERLAY_EVENTS_LOST, 1);
        }
    }

    /** PMD thread: a received signal, from its VAN header on, for the control thread to parse. */
    public void onSignal(final int senderIp, final UnsafeBuffer frame, final int offset, final int length)
    {
        if (length > MAX_SIGNAL_LENGTH)
        {
            counters.addUnderlay(PmdCounters.UNDERLAY_EVENTS_LOST, 1);
            return;
        }
        signalRecord.putInt(SIGNAL_SENDER_OFFSET, senderIp);
        signalRecord.putBytes(SIGNAL_BODY_OFFSET, frame, offset, length);
        if (!ring.write(MSG_SIGNAL, signalRecord, 0, SIGNAL_BODY_OFFSET + length))
        {
            counters.addUnderlay(PmdCounters.UNDERLAY_EVENTS_LOST, 1);
        }
    }

    /** What the control thread is told of the overlay. */
    public interface OverlayEvents
    {
        void onFloodForLocal(int vanIndex, long mac, int edgeIndex);

        void onDataNotHere(int vanIndex, long mac, int edgeIndex);

        /** DATA for a VAN this host does not serve: the sender's route is stale (answered with UNLEARN). */
        default void onUnknownVanData(final int vanId, final long mac, final int edgeIndex)
        {
        }

        /** The buffer is only valid during the call. */
        void onSignal(int senderIp, org.agrona.DirectBuffer buffer, int offset, int length);
    }

    /** Control thread: drains up to {@code limit} events of every kind. */
    public int drain(final LearnEvents learned, final NeighborEvents neighbors, final OverlayEvents overlay, final int limit)
    {
        return ring.read((msgTypeId, buffer, index, length) ->
        {
            switch (msgTypeId)
            {
                case MSG_LEARNED ->
                {
                    if (length == RECORD_LENGTH)
                    {
                        learned.onLearned(
                            buffer.getInt(index + VAN_INDEX_OFFSET),
                            buffer.getLong(index + MAC_OFFSET),
                            buffer.getInt(index + SLOT_OFFSET),
                            buffer.getInt(index + GENERATION_OFFSET));
                    }
                }
                case MSG_NEIGHBOR ->
                {
                    if (length == NEIGHBOR_RECORD_LENGTH)
                    {
                        neighbors.onNeighbor(buffer.getInt(index + NEIGHBOR_IP_OFFSET), buffer.getLong(index + NEIGHBOR_MAC_OFFSET));
                    }
                }
                case MSG_FLOOD_FOR_LOCAL -> overlay.onFloodForLocal(
                    buffer.getInt(index + OVERLAY_VAN_INDEX_OFFSET), buffer.getLong(index + OVERLAY_MAC_OFFSET),
                    buffer.getInt(index + OVERLAY_EDGE_OFFSET));
                case MSG_DATA_NOT_HERE -> overlay.onDataNotHere(
                    buffer.getInt(index + OVERLAY_VAN_INDEX_OFFSET), buffer.getLong(index + OVERLAY_MAC_OFFSET),
                    buffer.getInt(index + OVERLAY_EDGE_OFFSET));
                case MSG_UNKNOWN_VAN_DATA -> overlay.onUnknownVanData(
                    buffer.getInt(index + OVERLAY_VAN_INDEX_OFFSET), buffer.getLong(index + OVERLAY_MAC_OFFSET),
                    buffer.getInt(index + OVERLAY_EDGE_OFFSET));
                case MSG_SIGNAL -> overlay.onSignal(
                    buffer.getInt(index + SIGNAL_SENDER_OFFSET), buffer, index + SIGNAL_BODY_OFFSET, length - SIGNAL_BODY_OFFSET);
                default ->
                {
                    // unknown record: written by a newer PMD than this reader; skip
                }
            }
        }, limit);
    }

    /** What the control thread is told of underlay neighbours. */
    @FunctionalInterface
    public interface NeighborEvents
    {
        void onNeighbor(int ip, long mac);
    }

    /** Control thread: drains up to {@code limit} events, handing on learned MACs and neighbours only. */
    public int drain(final LearnEvents learned, final NeighborEvents neighbors, final int limit)
    {
        return drain(learned, neighbors, IGNORE_OVERLAY, limit);
    }

    /** Control thread: drains up to {@code limit} events, handing on learned MACs only. */
    public int drain(final LearnEvents handler, final int limit)
    {
        return drain(handler, (ip, mac) -> {}, IGNORE_OVERLAY, limit);
    }

    private static final OverlayEvents IGNORE_OVERLAY = new OverlayEvents()
    {
        public void onFloodForLocal(final int vanIndex, final long mac, final int edgeIndex)
        {
        }

        public void onDataNotHere(final int vanIndex, final long mac, final int edgeIndex)
        {
        }

        public void onSignal(final int senderIp, final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
        }
    };
}
