package io.vanswitch.perf.loadgen;

import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop over an in-memory two-port switch ({@link LoopbackPacketIo}): counting, pacing, learning,
 * no leaked mbufs, and no allocation inside a window.
 */
class TrafficLoopTest
{
    private static final long MS = 1_000_000L;

    private final LoopbackPacketIo io = new LoopbackPacketIo(4096);
    private TrafficLoop loop;

    private TrafficLoop loop(final long macs)
    {
        loop = new TrafficLoop(io, 0, 1, new FrameTemplate(64), new MacSpreader(macs));
        return loop;
    }

    @AfterEach
    void close()
    {
        if (null != loop)
        {
            loop.close();
        }
        assertEquals(0, io.leaked(), "mbufs leaked");
        io.close();
    }

    @Test
    void findsThePathWhenFramesComeBack()
    {
        assertTrue(loop(1).awaitPath(1_000 * MS) >= 0);
    }

    @Test
    void reportsNoPathWhenTheSwitchDropsEverything()
    {
        io.deliver(false);
        final long start = System.nanoTime();
        assertEquals(-1, loop(1).awaitPath(300 * MS));
        assertTrue(System.nanoTime() - start >= 300 * MS, "waited the whole timeout");
    }

    @Test
    void bTeachesEveryOneOfItsMacsAndTheyArriveAtA()
    {
        io.recordMacs();
        final TrafficLoop.LearnResult learn = loop(1000).learn(1_000_000);
        assertEquals(1000, learn.macs());
        assertEquals(1000, learn.learned());
        assertEquals(1, learn.passes());
        assertEquals(1000, learn.sent());
        assertEquals(1000, learn.arrivedAtA());
        assertEquals(1000, io.sourcesFromB().size());
        for (long i = 0; i < 1000; i++)
        {
            assertTrue(io.sourcesFromB().contains(MacSpreader.mac(i)), "MAC " + i);
        }
    }

    @Test
    void oneMacIsStillTaughtWithSeveralFrames()
    {
        final TrafficLoop.LearnResult learn = loop(1).learn(1_000_000);
        assertEquals(1, learn.learned());
        assertEquals(TrafficLoop.MIN_LEARN_FRAMES, learn.sent());
        assertEquals(TrafficLoop.MIN_LEARN_FRAMES, learn.arrivedAtA());
    }

    @Test
    void macsWhoseFramesWereLostAreSentAgain()
    {
        io.dropEvery(50);  // the switch loses the 50th, 100th, ... 1000th frame: 20 MACs of the first pass
        final TrafficLoop.LearnResult learn = loop(1000).learn(1_000_000);
        assertEquals(1000, learn.learned(), "every MAC came through in the end");
        assertEquals(2, learn.passes());
        assertEquals(1020, learn.sent(), "only the 20 lost ones again");
        assertEquals(1000, learn.arrivedAtA());
    }

    @Test
    void learningGivesUpAfterItsPasses()
    {
        io.deliver(false);
        final TrafficLoop.LearnResult learn = loop(100).learn(1_000_000);
        assertEquals(0, learn.learned());
        assertEquals(TrafficLoop.LEARN_PASSES, learn.passes());
        assertEquals(100 * TrafficLoop.LEARN_PASSES, learn.sent());
    }

    @Test
    void aPacedWindowSendsAtTheRateAndEveryFrameComesBackTimed()
    {
        final WindowStats stats = new WindowStats().reset();
        final TrafficLoop trafficLoop = loop(1);
        final int tag = trafficLoop.newWindowTag();
        final long nanos = trafficLoop.window(tag, 200 * MS, Pacer.perSecond(100_000), stats);
        trafficLoop.drain(tag, stats);

        // never above the rate; below it only when this thread lost its CPU for longer than the
        // pacer catches up for (a busy test machine), which the window's longest stall shows
        final double expected = 100_000 * nanos / 1e9;
        final String sent = "sent " + stats.sent() + ", expected about " + expected + ", longest stall " + stats.longestGapNanos() + " ns";
        assertTrue(stats.sent() <= expected + Pacer.MIN_DEPTH, sent);
        if (stats.longestGapNanos() < Pacer.CATCH_UP_NANOS)
        {
            assertTrue(stats.sent() >= expected - Pacer.MIN_DEPTH, sent);
        }
        assertTrue(stats.sent() > 0, sent);
        assertEquals(stats.sent(), stats.received());
        assertEquals(0, stats.lost());
        assertEquals(0, stats.reordered());
        assertEquals(stats.received(), stats.histogram().getTotalCount());
        assertTrue(stats.polls() > stats.sent() / Pacer.MAX_BURST, "polled " + stats.polls());
    }

    @Test
    void framesOfAnEarlierWindowAreStaleNotCounted()
    {
        final TrafficLoop trafficLoop = loop(1);
        final int earlier = trafficLoop.newWindowTag();
        // ten stragglers of an earlier window waiting in B's queue
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment array = arena.allocate(10 * Long.BYTES);
            final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
            final MbufFlyweight mbuf = new MbufFlyweight();
            for (int i = 0; i < 10; i++)
            {
                final long m = io.alloc();
                frame.wrap(mbuf.wrap(m).length(64).dataAddress(), 64);
                new FrameTemplate(64).write(frame, MacSpreader.mac(0), TrafficLoop.MAC_A, earlier, i);
                array.setAtIndex(ValueLayout.JAVA_LONG, i, m);
            }
            assertEquals(10, io.txBurst(0, 0, array.address(), 10));
        }
        final WindowStats stats = new WindowStats().reset();
        final int tag = trafficLoop.newWindowTag();
        trafficLoop.window(tag, 20 * MS, Pacer.perSecond(1_000_000), stats);
        trafficLoop.drain(tag, stats);
        assertEquals(10, stats.stale());
        assertEquals(stats.sent(), stats.received());
    }

    @Test
    void aWindowWalksAllOfBsMacs()
    {
        io.recordMacs();
        final TrafficLoop trafficLoop = loop(500);
        final WindowStats stats = new WindowStats().reset();
        final int tag = trafficLoop.newWindowTag();
        trafficLoop.window(tag, 50 * MS, Pacer.perSecond(1_000_000), stats);
        trafficLoop.drain(tag, stats);
        assertTrue(stats.sent() >= 500, "sent " + stats.sent());
        assertEquals(500, io.destinationsFromA().size());
    }

    @Test
    void anEmptyPoolIsCountedNotThrown()
    {
        try (LoopbackPacketIo small = new LoopbackPacketIo(16); TrafficLoop smallLoop = new TrafficLoop(small, 0, 1, new FrameTemplate(64), new MacSpreader(1)))
        {
            final WindowStats stats = new WindowStats().reset();
            final int tag = smallLoop.newWindowTag();
            smallLoop.window(tag, 5 * MS, Pacer.unpaced(), stats);  // wants bursts of 32 from a pool of 16
            smallLoop.drain(tag, stats);
            assertTrue(stats.allocFailures() > 0);
            assertEquals(0, stats.sent());
            smallLoop.close();
            assertEquals(0, small.leaked());
        }
    }

    @Test
    void theWindowAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final TrafficLoop trafficLoop = loop(1000);
        final WindowStats stats = new WindowStats();
        final Pacer[] pacers = { Pacer.perSecond(2_000_000), Pacer.unpaced() };
        for (int i = 0; i < 10; i++)
        {
            runWindows(trafficLoop, stats, pacers);
        }
        // as in the dataplane's allocation test: a C2 compile request can allocate on this thread
        // once in a while, so one of several rounds must allocate exactly nothing
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5 && least > 0; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            runWindows(trafficLoop, stats, pacers);
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, least, "bytes allocated by windows and drains");
    }

    private static void runWindows(final TrafficLoop trafficLoop, final WindowStats stats, final Pacer[] pacers)
    {
        for (final Pacer pacer : pacers)
        {
            stats.reset();
            final int tag = trafficLoop.newWindowTag();
            trafficLoop.resetDestinations();
            trafficLoop.window(tag, 20 * MS, pacer, stats);
            trafficLoop.drain(tag, stats);
        }
    }
}
