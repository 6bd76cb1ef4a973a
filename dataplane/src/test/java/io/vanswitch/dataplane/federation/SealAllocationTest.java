package io.vanswitch.dataplane.federation;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sealing and opening run in PMD threads: once compiled, 200k of each allocate nothing on the
 * calling thread (the JDK's Cipher takes about 1 KB per frame).
 */
class SealAllocationTest
{
    private static final int OPERATIONS = 200_000;
    /** What reading the counter itself may cost, once: not a byte per operation. */
    private static final long SLACK = 512;

    @Test
    void sealAndOpenAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined();
            FrameSealer sealer = new FrameSealer();
            FrameOpener opener = new FrameOpener())
        {
            final SealKey key = SealKey.generate(1, new SecureRandom());
            opener.install(key);
            sealer.rekey(key, 0);
            final MemorySegment frame = arena.allocate(2048, 64);
            final long address = frame.address();

            // warm up until a round allocates nothing (the JIT may need a while on a busy machine), at most 2M operations
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 20 && allocated > SLACK; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                run(sealer, opener, address, 100_000);
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }

            final long before = threads.getCurrentThreadAllocatedBytes();
            final long opened = run(sealer, opener, address, OPERATIONS);
            final long measured = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(64L * ((OPERATIONS + 2) / 3) + 512L * ((OPERATIONS + 1) / 3) + 1500L * (OPERATIONS / 3), opened, "every frame opened");
            assertTrue(measured <= SLACK, OPERATIONS + " seals and opens allocated " + measured + " bytes");
        }
    }

    /** @return the plaintext bytes opened. */
    private static long run(final FrameSealer sealer, final FrameOpener opener, final long address, final int operations)
    {
        long opened = 0;
        for (int i = 0; i < operations; i++)
        {
            final int length = switch (i % 3)
            {
                case 0 -> 64;
                case 1 -> 512;
                default -> 1500;
            };
            final int sealed = sealer.seal(address, length);
            opened += opener.open(address, sealed);
        }
        return opened;
    }
}
