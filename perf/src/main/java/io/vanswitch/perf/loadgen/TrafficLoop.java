package io.vanswitch.perf.loadgen;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import io.vanswitch.dataplane.frame.EthernetFlyweight;
import io.vanswitch.dataplane.pipeline.PacketIo;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The send and receive loop of the generator: one thread, both ports. Port A sends test frames to
 * B's MACs, port B receives them and each frame's one-way latency is its arrival time minus the
 * transmit time stamped in it, both from System.nanoTime in this thread. Port B also sends the
 * learning frames that tell the switch where B's MACs are.
 * <p>
 * Everything inside a window is allocation-free and lock-free and throws nothing: pointer arrays
 * are native and reused, frames are copied from the template into the mbufs' data, received mbufs
 * are freed in bulk, counters live in a reused {@link WindowStats}.
 */
public final class TrafficLoop implements AutoCloseable
{
    /** A's source MAC, outside the {@link MacSpreader#BASE} block that B's MACs come from. */
    public static final long MAC_A = 0x0201_0000_0001L;
    /** How many frames A sends to look for a path, and how often. */
    public static final int PROBE_FRAMES = 8;
    public static final long PROBE_INTERVAL_NANOS = 100_000_000L;
    /** B sends at least this many learning frames, even for one MAC: one may be lost while a port comes up. */
    public static final int MIN_LEARN_FRAMES = 8;
    /** After a window, frames are awaited until none came for this long... */
    public static final long QUIET_NANOS = 100_000_000L;
    /** ...but no longer than this. */
    public static final long MAX_DRAIN_NANOS = 2_000_000_000L;
    /** Learning gives up when B's ring took nothing and no frame could be built for this long. */
    private static final long MAX_STALL_NANOS = 2_000_000_000L;
    /** Passes over B's MACs at most: the first sends all, the others those whose frames were lost. */
    public static final int LEARN_PASSES = 3;
    /** A is polled on every 8th iteration of a window: nothing should arrive there, but a stray frame must not fill its ring. */
    private static final int A_POLL_MASK = 7;
    /** For {@link #fillA}: stamp with a clock read taken after building the burst. */
    private static final long READ_CLOCK = Long.MIN_VALUE;

    private final PacketIo io;
    private final int portA;
    private final int portB;
    private final FrameTemplate template;
    private final int length;
    private final MacSpreader destinations;
    private final Arena arena = Arena.ofConfined();
    private final TxBurst txA;
    private final TxBurst txB;
    private final long rxArray;
    private final UnsafeBuffer rxPointers;
    private final long[] stampAddresses = new long[Pacer.MAX_BURST];
    private final MbufFlyweight mbuf = new MbufFlyweight();
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final WindowStats scratch = new WindowStats();
    private long nextSequence;
    private int nextWindow = 16;
    /** Frames that arrived where none were awaited (at A during a window, at B while learning). */
    private long discarded;
    private boolean closed;

    public TrafficLoop(final PacketIo io, final int portA, final int portB, final FrameTemplate template, final MacSpreader destinations)
    {
        this.io = io;
        this.portA = portA;
        this.portB = portB;
        this.template = template;
        this.length = template.length();
        this.destinations = destinations;
        final long bytes = (long)Pacer.MAX_BURST * Long.BYTES;
        final MemorySegment pointers = arena.allocate(3 * bytes, 64);
        this.txA = new TxBurst(io, portA, pointers.address());
        this.txB = new TxBurst(io, portB, pointers.address() + bytes);
        this.rxArray = pointers.address() + 2 * bytes;
        this.rxPointers = new UnsafeBuffer(rxArray, (int)bytes);
    }

    /** A fresh tag: each window's frames carry their own, so stragglers of one never count in another. */
    public int newWindowTag()
    {
        return FrameTemplate.tag(nextWindow++);
    }

    public long discarded()
    {
        return discarded;
    }

    /**
     * A sends {@link #PROBE_FRAMES} frames every {@link #PROBE_INTERVAL_NANOS} until one arrives at
     * B; a learning switch floods them (B's MACs are not known yet) and learns A's MAC from them.
     *
     * @return nanoseconds until the first arrived, or -1 when none did within {@code timeoutNanos}.
     */
    public long awaitPath(final long timeoutNanos)
    {
        final int tag = newWindowTag();
        final WindowStats stats = scratch.reset();
        final long start = System.nanoTime();
        long nextProbe = start;
        long now = start;
        while (now - start < timeoutNanos)
        {
            if (now - nextProbe >= 0)
            {
                // a probe the ring refused is dropped, not kept: the next probe goes 100 ms later anyway
                fillA(Math.min(PROBE_FRAMES, txA.room()), tag, stats, READ_CLOCK);
                transmit(txA, stats);
                txA.discard();
                nextProbe = now + PROBE_INTERVAL_NANOS;
            }
            receive(portB, tag, stats);
            discarded += discard(portA);
            now = System.nanoTime();
            if (stats.received > 0)
            {
                drain(tag, portB, stats, QUIET_NANOS / 10);
                return now - start;
            }
        }
        return -1;
    }

    /**
     * B teaches the switch its N MACs: it sends {@code max(N, 8)} frames to A, from each of its MACs
     * in turn, at {@code framesPerSecond}, and notes which MACs came through to A (a bit each: a
     * million MACs cost 125 KB). A frame that reached A was seen, and so learned, by the switch; the
     * MACs whose frames were lost are sent again, up to {@link #LEARN_PASSES} passes in all.
     */
    public LearnResult learn(final double framesPerSecond)
    {
        final int tag = newWindowTag();
        final WindowStats stats = scratch.reset();
        final long count = destinations.count();
        final long[] arrived = new long[(int)((count + 63) >>> 6)];
        long sendNanos = 0;
        long learned = 0;
        int pass = 0;
        while (learned < count && pass < LEARN_PASSES)
        {
            final long passStart = System.nanoTime();
            final boolean first = 0 == pass++;
            if (!sendLearning(first ? Math.max(count, MIN_LEARN_FRAMES) : count, !first, arrived, framesPerSecond, tag, stats))
            {
                sendNanos += System.nanoTime() - passStart;
                break;
            }
            sendNanos += System.nanoTime() - passStart;
            drainLearning(tag, stats, arrived);
            learned = 0;
            for (final long word : arrived)
            {
                learned += Long.bitCount(word);
            }
        }
        return new LearnResult(count, learned, stats.sent, stats.received, pass, sendNanos);
    }

    /**
     * One pass of learning frames from B: frame i comes from MAC {@code i mod N}; with
     * {@code onlyMissing}, MACs already seen at A are skipped.
     *
     * @return false when B's ring took nothing and no frame could be built for {@link #MAX_STALL_NANOS}.
     */
    private boolean sendLearning(final long frames, final boolean onlyMissing, final long[] arrived, final double framesPerSecond,
        final int tag, final WindowStats stats)
    {
        final long count = destinations.count();
        final Pacer pacer = Pacer.perSecond(framesPerSecond);
        long now = System.nanoTime();
        pacer.start(now);
        long next = skipArrived(0, frames, onlyMissing, arrived);
        long lastProgressNanos = now;
        while (next < frames || txB.pending() > 0)
        {
            if (now - lastProgressNanos >= MAX_STALL_NANOS)
            {
                txB.discard();
                return false;
            }
            int built = 0;
            final int permits = pacer.permits(now, txB.room());
            if (permits > 0 && next < frames)
            {
                int want = 0;
                // how many of the next frames are still to be sent, up to the permits
                for (long i = next; i < frames && want < permits; i = skipArrived(i + 1, frames, onlyMissing, arrived))
                {
                    want++;
                }
                final int slot = txB.allocate(want);
                if (slot < 0)
                {
                    stats.allocFailures++;
                }
                else
                {
                    for (; built < want; built++)
                    {
                        stampAddresses[built] = build(txB.mbuf(slot + built), MAC_A, MacSpreader.mac(next % count), tag);
                        next = skipArrived(next + 1, frames, onlyMissing, arrived);
                    }
                    stamp(built, System.nanoTime());
                }
            }
            final long sentBefore = stats.sent;
            transmit(txB, stats);
            if (built > 0 || stats.sent != sentBefore)
            {
                lastProgressNanos = now;
            }
            receiveLearning(tag, stats, arrived);
            discarded += discard(portB);
            now = System.nanoTime();
        }
        return true;
    }

    /** The first frame from {@code from} on whose MAC has not reached A yet (every frame unless {@code onlyMissing}). */
    private long skipArrived(final long from, final long frames, final boolean onlyMissing, final long[] arrived)
    {
        long i = from;
        if (onlyMissing)
        {
            final long count = destinations.count();
            while (i < frames && (arrived[(int)((i % count) >>> 6)] & (1L << (i % count))) != 0)
            {
                i++;
            }
        }
        return i;
    }

    /** Receives learning frames at A until none came for {@link #QUIET_NANOS}. */
    private void drainLearning(final int tag, final WindowStats stats, final long[] arrived)
    {
        final long start = System.nanoTime();
        long now = start;
        while (now - Math.max(start, stats.lastArrivalNanos) < QUIET_NANOS && now - start < MAX_DRAIN_NANOS)
        {
            receiveLearning(tag, stats, arrived);
            discarded += discard(portB);
            now = System.nanoTime();
        }
    }

    /** One receive burst at A: learning frames of {@code tag} are counted and their source MAC marked arrived. */
    private void receiveLearning(final int tag, final WindowStats stats, final long[] arrived)
    {
        final int received = io.rxBurst(portA, 0, rxArray, Pacer.MAX_BURST);
        if (received > 0)
        {
            final long count = destinations.count();
            for (int i = 0; i < received; i++)
            {
                mbuf.wrap(rxPointers.getLong(i * Long.BYTES));
                if (mbuf.dataLen() >= FrameTemplate.PAYLOAD_END)
                {
                    frame.wrap(mbuf.dataAddress(), FrameTemplate.PAYLOAD_END);
                    final long index = (EthernetFlyweight.readMac(frame, EthernetFlyweight.SOURCE_OFFSET) & 0xFFFF_FFFFL) - 1;
                    if (FrameTemplate.tagOf(frame) == tag && index >= 0 && index < count)
                    {
                        arrived[(int)(index >>> 6)] |= 1L << index;
                    }
                }
            }
            account(received, tag, System.nanoTime(), stats);
        }
    }

    /**
     * A sends to B's MACs for {@code durationNanos} as the pacer permits, B receives; frames of
     * {@code tag} that arrive are counted and their latency recorded in {@code stats}. Frames still
     * pending at the end are freed, not counted as sent. Call {@link #drain} to collect the frames
     * still in flight.
     *
     * @return the window's real length in nanoseconds.
     */
    public long window(final int tag, final long durationNanos, final Pacer pacer, final WindowStats stats)
    {
        final long start = System.nanoTime();
        final long end = start + durationNanos;
        final boolean unpaced = pacer.isUnpaced();
        pacer.start(start);
        long previous = start;
        int iteration = 0;
        while (true)
        {
            // one clock read per poll, at 30-50 ns in a VM the dearest call here: it times the frames
            // just received, drives the pacer and ends the window
            final int received = io.rxBurst(portB, 0, rxArray, Pacer.MAX_BURST);
            final long now = System.nanoTime();
            if (received > 0)
            {
                account(received, tag, now, stats);
            }
            if (now - previous > stats.longestGapNanos)
            {
                stats.longestGapNanos = now - previous;
            }
            previous = now;
            if (now - end >= 0)
            {
                break;
            }
            final int permits = pacer.permits(now, txA.room());
            if (permits > 0)
            {
                // unpaced, latency is not reported: the poll's clock read stamps the burst; paced,
                // a second read after building it is the nearest to the driver call
                fillA(permits, tag, stats, unpaced ? now : READ_CLOCK);
            }
            transmit(txA, stats);
            if ((++iteration & A_POLL_MASK) == 0)
            {
                discarded += discard(portA);
            }
        }
        stats.polls += iteration;
        txA.discard();
        return previous - start;
    }

    /** Receives frames of {@code tag} at B until none came for {@link #QUIET_NANOS} (at most {@link #MAX_DRAIN_NANOS}). */
    public void drain(final int tag, final WindowStats stats)
    {
        drain(tag, portB, stats, QUIET_NANOS);
    }

    /** Restarts the walk over B's MACs, so every window sends the same destinations in the same order. */
    public void resetDestinations()
    {
        destinations.reset();
    }

    private void drain(final int tag, final int portId, final WindowStats stats, final long quietNanos)
    {
        final long start = System.nanoTime();
        final int otherPort = portId == portA ? portB : portA;
        long now = start;
        while (now - Math.max(start, stats.lastArrivalNanos) < quietNanos && now - start < MAX_DRAIN_NANOS)
        {
            receive(portId, tag, stats);
            discarded += discard(otherPort);
            now = System.nanoTime();
        }
    }

    /**
     * Builds {@code count} frames from A to the next of B's MACs in one allocation, stamps and queues them.
     *
     * @param stampNanos the transmit time to stamp, or {@link #READ_CLOCK} to read the clock once they are built.
     */
    private void fillA(final int count, final int tag, final WindowStats stats, final long stampNanos)
    {
        final int first = txA.allocate(count);
        if (first < 0)
        {
            stats.allocFailures++;
            return;
        }
        for (int i = 0; i < count; i++)
        {
            stampAddresses[i] = build(txA.mbuf(first + i), destinations.nextMac(), MAC_A, tag);
        }
        stamp(count, READ_CLOCK == stampNanos ? System.nanoTime() : stampNanos);
    }

    /** @return the address of the frame's data, for {@link #stamp}. */
    private long build(final long m, final long destination, final long source, final int tag)
    {
        final long data = mbuf.wrap(m).length(length).dataAddress();
        frame.wrap(data, length);
        template.write(frame, destination, source, tag, nextSequence++);
        return data;
    }

    /** Stamps the burst just built (in {@link #stampAddresses}) with one transmit time. */
    private void stamp(final int count, final long nanos)
    {
        for (int i = 0; i < count; i++)
        {
            frame.wrap(stampAddresses[i], FrameTemplate.PAYLOAD_END);
            FrameTemplate.timestamp(frame, nanos);
        }
    }

    private static void transmit(final TxBurst tx, final WindowStats stats)
    {
        if (tx.pending() > 0)
        {
            stats.sent += tx.flush();
            if (tx.pending() > 0)
            {
                stats.txShort++;
            }
        }
    }

    /** One receive burst: frames of {@code tag} are counted and timed, any other is stale; all are freed. */
    private int receive(final int portId, final int tag, final WindowStats stats)
    {
        final int received = io.rxBurst(portId, 0, rxArray, Pacer.MAX_BURST);
        if (received > 0)
        {
            account(received, tag, System.nanoTime(), stats);
        }
        return received;
    }

    /** Counts and times the {@code received} frames in the receive array as arrived at {@code nowNanos}, and frees them. */
    private void account(final int received, final int tag, final long nowNanos, final WindowStats stats)
    {
        for (int i = 0; i < received; i++)
        {
            mbuf.wrap(rxPointers.getLong(i * Long.BYTES));
            final int dataLength = mbuf.dataLen();
            if (dataLength >= FrameTemplate.PAYLOAD_END)
            {
                frame.wrap(mbuf.dataAddress(), dataLength);
                if (FrameTemplate.tagOf(frame) == tag)
                {
                    stats.arrived(FrameTemplate.sequenceOf(frame), nowNanos - FrameTemplate.timestampOf(frame), nowNanos);
                    continue;
                }
            }
            stats.stale++;
        }
        io.freeBulk(rxArray, received);
    }

    /** Receives and frees one burst unexamined. */
    private int discard(final int portId)
    {
        final int received = io.rxBurst(portId, 0, rxArray, Pacer.MAX_BURST);
        if (received > 0)
        {
            io.freeBulk(rxArray, received);
        }
        return received;
    }

    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        txA.discard();
        txB.discard();
        arena.close();
    }

    /**
     * @param macs       MACs B was to teach.
     * @param learned    of those, MACs whose frames reached A (so the switch saw them).
     * @param sent       learning frames B's driver took, over all passes.
     * @param arrivedAtA learning frames that reached A.
     * @param passes     passes over the MACs not yet seen at A.
     * @param sendNanos  time spent sending, over all passes.
     */
    public record LearnResult(long macs, long learned, long sent, long arrivedAtA, int passes, long sendNanos)
    {
    }
}
