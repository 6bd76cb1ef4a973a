package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.vanswitch.dataplane.pmd.PmdHarness.GENERATION;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_A;
import static io.vanswitch.dataplane.pmd.PmdHarness.VAN_B;
import static io.vanswitch.dataplane.pmd.PmdHarness.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The duty cycle must not allocate: a steady mix of unicast, flood, learning, moves and every
 * drop reason goes through {@link PmdAgent#doWork()}, and the thread's allocation counter is read
 * around each call only (the fixture queues frames outside the measured window).
 * <p>
 * The JVM itself can allocate on this thread once in a while after warm-up: when it submits a C2
 * compile, HotSpot resolves the String constants of the method's class on the requesting thread
 * (CompileBroker::compile_method, resolve_string_constants), e.g. a 14-character literal of
 * PmdAgent = 56 bytes. On a busy 2-core machine C2 may still be catching up when measuring
 * starts. So the window of {@value #MEASURED_FRAMES} frames is measured up to
 * {@value #ROUNDS} times and one round must allocate exactly nothing: an allocation per frame, per
 * burst or per learn event would show in every round.
 */
class PipelineAllocationTest
{
    private static final int WARM_UP_FRAMES = 200_000;
    private static final int MEASURED_FRAMES = 200_000;
    private static final int ROUNDS = 5;

    private static final long ALICE = 0x5254_0000_000AL;
    private static final long BOB = 0x5254_0000_000BL;
    private static final long CAROL = 0x5254_0000_000CL;
    private static final long ROAMING = 0x5254_0000_00EEL;
    private static final long UNKNOWN = 0x5254_0000_00FFL;
    private static final long GUARDED = 0x5254_0000_0D00L;

    private final PmdHarness pmd = new PmdHarness();
    private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final PortBinding a0 = port(0, VAN_A);
    private final PortBinding a1 = port(1, VAN_A);
    private final PortBinding a2 = port(2, VAN_A);
    private final PortBinding guarded = port(3, GENERATION, VAN_A, GUARDED);
    private final PortBinding b4 = port(4, VAN_B);
    private final PortBinding b5 = port(5, VAN_B);
    private final PortBinding lonely = port(6, 7);

    /** Per duty cycle: which port each pre-built frame arrives on. */
    private PortBinding[] ingress;
    private byte[][] frames;

    @AfterEach
    void close()
    {
        pmd.close();
    }

    private void script(final Object... portsAndFrames)
    {
        ingress = new PortBinding[portsAndFrames.length / 2];
        frames = new byte[portsAndFrames.length / 2][];
        for (int i = 0; i < ingress.length; i++)
        {
            ingress[i] = (PortBinding)portsAndFrames[2 * i];
            frames[i] = (byte[])portsAndFrames[2 * i + 1];
        }
    }

    private void queueOneCycle()
    {
        for (int i = 0; i < frames.length; i++)
        {
            pmd.io.receive(ingress[i].dpdkPortId(), frames[i]);
        }
    }

    @Test
    void dutyCycleAllocatesNothing()
    {
        assertTrue(threads.isThreadAllocatedMemorySupported(), "the zero-allocation check needs a JVM that counts per-thread allocation");
        threads.setThreadAllocatedMemoryEnabled(true);

        pmd.install(a0, a1, a2, guarded, b4, b5, lonely);
        pmd.io.recordTx(false);
        pmd.io.acceptTxPerCall(a2.dpdkPortId(), 2);
        for (final PortBinding port : new PortBinding[]{a0, a1, a2, guarded, b4, b5, lonely})
        {
            pmd.io.createRxQueue(port.dpdkPortId());
        }
        script(
            a0, Frames.frame(BOB, ALICE),
            a0, Frames.frame(CAROL, ALICE),
            a0, Frames.frame(MacAddress.BROADCAST, ALICE),
            a0, Frames.frame(UNKNOWN, ALICE),
            a0, Frames.frame(ALICE, ALICE),
            a0, Frames.runt(10),
            a0, Frames.frame(BOB, MacAddress.BROADCAST),
            a1, Frames.frame(ALICE, BOB),
            a1, Frames.frame(ALICE, ROAMING),
            a1, Frames.frame(CAROL, BOB, Frames.ETHER_TYPE_IPV4, 1514),
            a2, Frames.frame(ALICE, CAROL),
            a2, Frames.frame(ALICE, ROAMING),
            a2, Frames.frame(MacAddress.parse("01:00:5e:00:00:fb"), CAROL),
            guarded, Frames.frame(ALICE, GUARDED),
            guarded, Frames.frame(ALICE, ALICE),
            b4, Frames.frame(BOB, ALICE),
            b5, Frames.frame(ALICE, BOB),
            b5, Frames.frame(UNKNOWN, BOB),
            lonely, Frames.frame(MacAddress.BROADCAST, ALICE));

        for (int i = 0; i < WARM_UP_FRAMES / frames.length; i++)
        {
            queueOneCycle();
            pmd.agent.doWork();
            pmd.agent.doWork();
        }

        final long overhead = measurementOverhead();
        final int cycles = MEASURED_FRAMES / frames.length + 1;
        final List<String> rounds = new ArrayList<>();
        long allocated = -1;
        for (int round = 0; round < ROUNDS && allocated != 0; round++)
        {
            allocated = 0;
            long worst = 0;
            for (int i = 0; i < cycles; i++)
            {
                queueOneCycle();
                final long before = threads.getCurrentThreadAllocatedBytes();
                pmd.agent.doWork();
                pmd.agent.doWork();
                final long bytes = threads.getCurrentThreadAllocatedBytes() - before - overhead;
                allocated += bytes;
                worst = Math.max(worst, bytes);
            }
            rounds.add(allocated + " bytes (worst cycle " + worst + ")");
        }

        assertEquals(0, allocated, "bytes allocated by doWork per round of " + cycles * frames.length + " frames: " + rounds);
        assertTrue(pmd.drops(a0, DropReason.RUNT) > 0 && pmd.drops(a0, DropReason.INVALID_SOURCE_MAC) > 0 &&
            pmd.drops(a0, DropReason.SAME_PORT) > 0 && pmd.drops(guarded, DropReason.SOURCE_MAC_MISMATCH) > 0 &&
            pmd.drops(lonely, DropReason.NO_DESTINATION) > 0 && pmd.drops(a2, DropReason.TX_FAILED) > 0,
            "every drop path exercised");
        assertTrue(pmd.van(VAN_A, PmdCounters.VAN_UNICAST) > 0 && pmd.van(VAN_A, PmdCounters.VAN_FLOODED) > 0);
        assertTrue(pmd.van(VAN_A, PmdCounters.VAN_LEARNED) > cycles, "a roaming MAC moves twice a cycle");
        pmd.assertNoLeaks();
    }

    /** What reading the counter twice costs by itself (expected 0). */
    private long measurementOverhead()
    {
        long overhead = Long.MAX_VALUE;
        for (int i = 0; i < 1_000; i++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            overhead = Math.min(overhead, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return overhead;
    }
}
