package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pmd.PmdCounters;
import io.vanswitch.dataplane.testing.FakePacketIo;
import io.vanswitch.dataplane.testing.Frames;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One egress port can receive far more than a burst per duty cycle (a flood replicated to hundreds of
 * peers all leaves through the underlay): the queue sends each full burst at once and stays
 * registered once, so no bookkeeping overflows however many frames arrive.
 */
class TxQueuesTest
{
    @Test
    void tenThousandFramesToOnePortInOneCycleAllLeave()
    {
        final FakePacketIo io = new FakePacketIo(12_000);
        final PmdCounters counters = new PmdCounters();
        final TxQueues queues = new TxQueues(io, counters, 0);
        final PortBinding port = new PortBinding(3, 1, "p", 13, 0, MacAddress.NONE, 0, 0);
        io.recordTx(false);
        final byte[] frame = Frames.frame(0x5254_0000_0002L, 0x5254_0000_0001L);

        for (int i = 0; i < 10_000; i++)
        {
            queues.enqueue(port, io.allocate(frame, 128), frame.length);
        }
        queues.flushAll();
        // and the next cycle still works
        queues.enqueue(port, io.allocate(frame, 128), frame.length);
        queues.flushAll();

        assertEquals(10_001, io.txAccepted(13));
        assertEquals(10_001, counters.port(3, PmdCounters.PORT_TX_PACKETS));
    }
}
