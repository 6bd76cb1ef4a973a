package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.testing.FakePacketIo;
import io.vanswitch.dataplane.testing.FakePacketIo.SentFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One PMD agent over a {@link FakePacketIo}, driven by hand: {@link #install} offers a topology
 * through the proxy and runs one duty cycle to apply it; {@link #receive} queues frames on a port
 * and runs one duty cycle to switch them.
 */
final class PmdHarness implements AutoCloseable
{
    static final int PMD_INDEX = 0;
    static final int VAN_A = 1;
    static final int VAN_B = 2;
    static final int GENERATION = 1;

    final FakePacketIo io = new FakePacketIo(4096);
    final PmdAgent agent;
    final PmdProxy proxy;
    final PmdCounters counters;

    PmdHarness()
    {
        this(1024);
    }

    PmdHarness(final int fdbCapacity)
    {
        this(PMD_INDEX, fdbCapacity);
    }

    PmdHarness(final int pmdIndex, final int fdbCapacity)
    {
        agent = new PmdAgent(pmdIndex, -1, io, fdbCapacity);
        proxy = new PmdProxy(agent);
        counters = agent.counters();
    }

    /** A port without an assigned MAC, polled by this PMD. */
    static PortBinding port(final int slot, final int vanIndex)
    {
        return port(slot, GENERATION, vanIndex, MacAddress.NONE);
    }

    static PortBinding port(final int slot, final int generation, final int vanIndex, final long assignedMac)
    {
        return new PortBinding(slot, generation, "port" + slot, dpdkPortId(slot), vanIndex, assignedMac, PMD_INDEX, 0);
    }

    /** Deliberately not the slot, so a mix-up of the two shows. */
    static int dpdkPortId(final int slot)
    {
        return slot + 10;
    }

    void install(final PortBinding... bindings)
    {
        install(new ForwardingTopology(List.of(bindings)));
    }

    void install(final ForwardingTopology topology)
    {
        final CompletableFuture<Void> done = proxy.installTopology(topology);
        agent.doWork();
        assertTrue(done.isDone(), "topology installed by the duty cycle");
        done.join();
    }

    /** Queues the frames on the port's rx queue, then runs one duty cycle. */
    void receive(final PortBinding ingress, final byte[]... frames)
    {
        for (final byte[] frame : frames)
        {
            io.receive(ingress.dpdkPortId(), frame);
        }
        agent.doWork();
        assertEquals(0, io.pendingRx(ingress.dpdkPortId()), "every queued frame polled");
    }

    List<SentFrame> sentOn(final PortBinding port)
    {
        return io.sentOn(port.dpdkPortId());
    }

    /** Destination MACs of the frames sent on the port, in order. */
    List<Long> destinationsSentOn(final PortBinding port)
    {
        final List<Long> macs = new ArrayList<>();
        for (final SentFrame frame : sentOn(port))
        {
            macs.add(frame.destination());
        }
        return macs;
    }

    long drops(final PortBinding port, final DropReason reason)
    {
        return counters.portDrop(port.slot(), reason);
    }

    long van(final int vanIndex, final int counter)
    {
        return counters.van(vanIndex, counter);
    }

    void assertNoLeaks()
    {
        assertEquals(0, io.mbufsInUse(), "mbufs still referenced after every frame left");
    }

    public void close()
    {
        io.close();
    }
}
