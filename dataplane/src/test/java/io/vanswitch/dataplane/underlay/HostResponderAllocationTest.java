package io.vanswitch.dataplane.underlay;

import io.vanswitch.dataplane.testing.OverlayFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.OUR_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_IP;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.PEER_MAC;
import static io.vanswitch.dataplane.underlay.UnderlayFrames.VAN_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The responder runs on a PMD thread and must not allocate: a pre-built ping (answered in place,
 * so restored before every call), an ARP request and an overlay datagram go through
 * {@link HostResponder#examine} {@value #MEASURED} times each. As in PipelineAllocationTest, the
 * JVM itself may allocate on this thread once in a while (C2 compile requests resolve String
 * constants on the requesting thread), so a round is measured up to {@value #ROUNDS} times and
 * one must allocate exactly nothing; an allocation per frame would show in every round.
 */
class HostResponderAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;
    private static final int ROUNDS = 5;

    private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final HostResponder responder = new HostResponder(OUR_MAC, OUR_IP, VAN_PORT);

    private final byte[] ping = HostResponderIcmpTest.ECHO_REQUEST.clone();
    private final byte[] arp = OverlayFrames.arp(0xFFFF_FFFF_FFFFL, 1, PEER_MAC, PEER_IP, 0, OUR_IP);
    private final byte[] overlay = UnderlayFrames.udp(OUR_IP, VAN_PORT, 64);

    private final UnsafeBuffer pingFrame = new UnsafeBuffer(new byte[ping.length]);
    private final UnsafeBuffer arpFrame = new UnsafeBuffer(new byte[arp.length]);
    private final UnsafeBuffer overlayFrame = new UnsafeBuffer(overlay);

    @Test
    void examiningAndAnsweringAllocatesNothing()
    {
        assertTrue(threads.isThreadAllocatedMemorySupported(), "the zero-allocation check needs a JVM that counts per-thread allocation");
        threads.setThreadAllocatedMemoryEnabled(true);

        assertEquals(HostResponder.ICMP_REPLIED + HostResponder.ARP_REPLIED + HostResponder.VAN_UDP, runFrames(1),
            "each frame takes its path");
        runFrames(WARM_UP);

        final List<Long> rounds = new ArrayList<>();
        long allocated = -1;
        for (int round = 0; round < ROUNDS && allocated != 0; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            runFrames(MEASURED);
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
            rounds.add(allocated);
        }
        assertEquals(0, allocated, "bytes allocated per round of " + MEASURED + " pings, ARP requests and datagrams: " + rounds);
    }

    /** Returns the sum of the codes of the last iteration, so the JIT cannot drop the work. */
    private int runFrames(final int iterations)
    {
        int codes = 0;
        for (int i = 0; i < iterations; i++)
        {
            pingFrame.putBytes(0, ping);
            arpFrame.putBytes(0, arp);
            codes = responder.examine(pingFrame, ping.length) +
                responder.examine(arpFrame, arp.length) +
                responder.examine(overlayFrame, overlay.length);
        }
        return codes;
    }
}
