package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.pipeline.ArpProxy;
import io.vanswitch.dataplane.pipeline.Burst;
import io.vanswitch.dataplane.pipeline.ForwardStage;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.IngressStage;
import io.vanswitch.dataplane.pipeline.OutputStage;
import io.vanswitch.dataplane.pipeline.PacketIo;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pipeline.TxQueues;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.underlay.UnderlayStage;
import io.vanswitch.dataplane.overlay.DecapStage;
import io.vanswitch.dataplane.overlay.OverlayTopology;
import io.vanswitch.dataplane.dpdk.MbufFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.Agent;
import org.jctools.queues.SpscArrayQueue;

import java.util.concurrent.CompletableFuture;

/**
 * A poll-mode-driver thread as an Agrona agent. Each duty cycle drains a bounded number of commands
 * from the control thread (the only way its state changes: single writer), then polls every rx
 * queue it owns and runs each burst through the stages: ingress (validate, source check, learn) ->
 * forward (lookup) -> output (unicast, flood, drop) -> tx (one burst per egress port).
 * <p>
 * Nothing in {@link #doWork()} allocates, locks, throws or logs per packet.
 */
public final class PmdAgent implements Agent
{
    private static final int COMMANDS_PER_CYCLE = 8;
    /** One duty cycle in this many has its rx polls timed (a power of two): see {@link #receive}. */
    static final int RX_SAMPLE_INTERVAL = 64;

    private final int index;
    private volatile long threadId = -1;
    private final int cpu;
    private final PacketIo io;
    private final PmdCounters counters;
    private final LearnEventRing learnEvents;
    private final LocalFdb fdb;
    private final Burst burst = new Burst();
    private final IngressStage ingressStage;
    private final ForwardStage forwardStage;
    private final OutputStage outputStage;
    private final DecapStage decapStage;
    private final ArpProxy arpProxy;
    private final TxQueues txQueues;
    private final io.vanswitch.dataplane.federation.LinkKeys linkKeys;
    private final io.vanswitch.dataplane.federation.PublicStage publicStage;
    private io.vanswitch.dataplane.federation.FederationBinding federation;
    private final SpscArrayQueue<Runnable> commands = new SpscArrayQueue<>(1024);
    private final int[] installedGeneration = new int[PmdCounters.MAX_PORTS];
    private ForwardingTopology topology = ForwardingTopology.EMPTY;
    private UnderlayStage underlayStage;
    private final MbufFlyweight originated = new MbufFlyweight();
    private final UnsafeBuffer originatedData = new UnsafeBuffer(0, 0);
    private PortBinding[] polled = new PortBinding[0];
    private int cycles;
    private boolean timedCycle;

    /**
     * @param index       this PMD's index: also the tx queue it uses on every port.
     * @param cpu         the CPU to pin to, or -1 to leave affinity alone.
     * @param fdbCapacity the most MACs this PMD's table holds.
     */
    public PmdAgent(final int index, final int cpu, final PacketIo io, final int fdbCapacity)
    {
        this.index = index;
        this.cpu = cpu;
        this.io = io;
        this.counters = new PmdCounters();
        this.learnEvents = new LearnEventRing(counters);
        this.fdb = new LocalFdb(fdbCapacity);
        this.arpProxy = new ArpProxy(fdbCapacity);
        this.ingressStage = new IngressStage(fdb, counters, learnEvents, arpProxy);
        this.forwardStage = new ForwardStage(fdb, counters);
        this.txQueues = new TxQueues(io, counters, index);
        this.linkKeys = new io.vanswitch.dataplane.federation.LinkKeys(index);
        final io.vanswitch.dataplane.overlay.EdgeOutput edgeOutput =
            new io.vanswitch.dataplane.overlay.EdgeOutput(io, counters, txQueues, linkKeys);
        this.outputStage = new OutputStage(io, counters, txQueues, edgeOutput);
        this.decapStage = new DecapStage(io, counters, learnEvents, fdb, txQueues, arpProxy, edgeOutput);
        this.publicStage = new io.vanswitch.dataplane.federation.PublicStage(io, counters, txQueues, linkKeys, decapStage);
        java.util.Arrays.fill(installedGeneration, -1);
    }

    public String roleName()
    {
        return "vanswitch-pmd-" + index;
    }

    public int index()
    {
        return index;
    }

    public int cpu()
    {
        return cpu;
    }

    public PmdCounters counters()
    {
        return counters;
    }

    public LearnEventRing learnEvents()
    {
        return learnEvents;
    }

    public void onStart()
    {
        threadId = Thread.currentThread().threadId();
        io.onThreadStart(cpu);
    }

    /** The PMD thread's id (for its allocation counter), or -1 before it started. */
    public long threadId()
    {
        return threadId;
    }

    public void onClose()
    {
        io.onThreadStop();
    }

    public int doWork()
    {
        int work = 0;
        for (int i = 0; i < COMMANDS_PER_CYCLE; i++)
        {
            final Runnable command = commands.poll();
            if (null == command)
            {
                break;
            }
            command.run();
            counters.addPmd(PmdCounters.COMMANDS, 1);
            work++;
        }

        timedCycle = (++cycles & (RX_SAMPLE_INTERVAL - 1)) == 0;
        final PortBinding[] polled = this.polled;
        final ForwardingTopology topology = this.topology;
        int packets = 0;
        long processingNanos = 0;
        for (final PortBinding port : polled)
        {
            for (int q = port.rxQueue(), end = port.rxQueue() + port.rxQueueCount(); q < end; q++)
            {
                final int received = receive(port.dpdkPortId(), q);
                if (received > 0)
                {
                    packets += received;
                    // timed per burst, not per poll: empty polls cost no clock reads
                    final long start = System.nanoTime();
                    process(port, received, topology);
                    processingNanos += System.nanoTime() - start;
                }
            }
        }

        final UnderlayStage underlayStage = this.underlayStage;
        if (null != underlayStage)
        {
            final PortBinding port = underlayStage.underlay().port();
            for (int q = port.rxQueue(), end = port.rxQueue() + port.rxQueueCount(); q < end; q++)
            {
                final int received = receive(port.dpdkPortId(), q);
                if (received > 0)
                {
                    packets += received;
                    final long start = System.nanoTime();
                    burst.load(port, received);
                    underlayStage.process(burst, topology);
                    txQueues.flushAll();
                    processingNanos += System.nanoTime() - start;
                }
            }
        }

        final io.vanswitch.dataplane.federation.FederationBinding federation = this.federation;
        if (null != federation)
        {
            packets += pollPublic(federation, topology);
        }

        if (packets > 0)
        {
            counters.addPmd(PmdCounters.POLLS_BUSY, 1);
            counters.addPmd(PmdCounters.PMD_RX_PACKETS, packets);
            counters.addPmd(PmdCounters.PROCESSING_NANOS, processingNanos);
        }
        else
        {
            counters.addPmd(PmdCounters.POLLS_IDLE, 1);
        }
        return work + packets;
    }

    /** A proxy's public port and the kernel interface behind it; the time counts as processing. */
    private int pollPublic(final io.vanswitch.dataplane.federation.FederationBinding federation, final ForwardingTopology topology)
    {
        int packets = 0;
        final PortBinding publicPort = federation.publicPort();
        for (int q = publicPort.rxQueue(), end = publicPort.rxQueue() + publicPort.rxQueueCount(); q < end; q++)
        {
            final int received = receive(publicPort.dpdkPortId(), q);
            if (received > 0)
            {
                packets += received;
                final long start = System.nanoTime();
                burst.load(publicPort, received);
                publicStage.process(burst, topology);
                txQueues.flushAll();
                counters.addPmd(PmdCounters.PROCESSING_NANOS, System.nanoTime() - start);
            }
        }
        final PortBinding punt = federation.puntPort();
        if (null != punt)
        {
            for (int q = punt.rxQueue(), end = punt.rxQueue() + punt.rxQueueCount(); q < end; q++)
            {
                final int fromKernel = receive(punt.dpdkPortId(), q);
                if (fromKernel > 0)
                {
                    packets += fromKernel;
                    burst.load(punt, fromKernel);
                    publicStage.fromKernel(burst, topology);
                    txQueues.flushAll();
                }
            }
        }
        return packets;
    }

    private long burstArray()
    {
        return burst.rxArrayAddress();
    }

    /**
     * Polls one rx queue into the burst's array; in a timed duty cycle (one in RX_SAMPLE_INTERVAL)
     * the call is timed. Receiving costs the PMD as much as processing does, but a clock read
     * costs 27 ns here, as much as an empty poll, so not every poll pays for one. Whole cycles are
     * sampled, not every n-th call: with two ports polled per cycle, every 64th call would always
     * be the same port's.
     */
    private int receive(final int dpdkPortId, final int queue)
    {
        if (!timedCycle)
        {
            return io.rxBurst(dpdkPortId, queue, burstArray(), Burst.MAX);
        }
        final long start = System.nanoTime();
        final int received = io.rxBurst(dpdkPortId, queue, burstArray(), Burst.MAX);
        if (received > 0)
        {
            counters.addPmd(PmdCounters.RX_SAMPLED_NANOS, System.nanoTime() - start);
            counters.addPmd(PmdCounters.RX_SAMPLED_PACKETS, received);
        }
        return received;
    }

    private void process(final PortBinding port, final int received, final ForwardingTopology topology)
    {
        burst.load(port, received);
        ingressStage.process(burst);
        forwardStage.process(burst, topology);
        outputStage.process(burst, topology);
        txQueues.flushAll();
    }

    // ---- commands: built by PmdProxy on the control thread, run here on the PMD thread ----

    /**
     * Offers a command; false when the queue is full (the caller counts and retries).
     */
    boolean offer(final Runnable command)
    {
        return commands.offer(command);
    }

    void installTopology(final ForwardingTopology next, final CompletableFuture<Void> done)
    {
        for (final PortBinding binding : next.bindings())
        {
            final int slot = binding.slot();
            if (installedGeneration[slot] != binding.generation())
            {
                counters.resetPort(slot);
                installedGeneration[slot] = binding.generation();
            }
        }
        topology = next;
        polled = next.polledBy(index);
        final UnderlayBinding underlay = next.underlay();
        if (null != underlay && underlay.port().pmdIndex() == index)
        {
            final int slot = underlay.port().slot();
            if (installedGeneration[slot] != underlay.port().generation())
            {
                counters.resetPort(slot);
                installedGeneration[slot] = underlay.port().generation();
            }
            if (null == underlayStage || !underlayStage.underlay().equals(underlay))
            {
                underlayStage = new UnderlayStage(underlay, io, counters, learnEvents, txQueues, decapStage);
            }
        }
        else
        {
            underlayStage = null;
        }
        final io.vanswitch.dataplane.federation.FederationBinding nextFederation = next.federation();
        if (null != nextFederation && nextFederation.publicPort().pmdIndex() == index)
        {
            for (final PortBinding port : new PortBinding[] {nextFederation.publicPort(), nextFederation.puntPort()})
            {
                if (null != port && installedGeneration[port.slot()] != port.generation())
                {
                    counters.resetPort(port.slot());
                    installedGeneration[port.slot()] = port.generation();
                }
            }
            federation = nextFederation;
        }
        else
        {
            federation = null;
        }
        final OverlayTopology overlay = next.overlay();
        fdb.removeIf((vanIndex, mac, location) ->
        {
            if (LocalFdb.slotOf(location) >= OverlayTopology.REMOTE_BASE)
            {
                return null == overlay || null == overlay.edge(LocalFdb.slotOf(location) - OverlayTopology.REMOTE_BASE) ||
                    overlay.vanId(vanIndex) == 0;
            }
            final PortBinding binding = next.binding(LocalFdb.slotOf(location));
            return null == binding || binding.generation() != LocalFdb.generationOf(location) || binding.vanIndex() != vanIndex;
        });
        done.complete(null);
    }

    /**
     * Sends a frame the control thread built (an ARP request, a signal) on the underlay, from this
     * PMD's own tx queue. Counted; dropped when there is no underlay here or no mbuf.
     */
    void transmitOnUnderlay(final byte[] frame)
    {
        final UnderlayStage underlayStage = this.underlayStage;
        final long mbuf = null == underlayStage ? 0 : io.alloc();
        if (0 == mbuf)
        {
            counters.addUnderlay(PmdCounters.UNDERLAY_CONTROL_SEND_FAILED, 1);
            return;
        }
        originated.wrap(mbuf);
        if (frame.length > originated.bufLen() - originated.dataOff())
        {
            io.free(mbuf);
            counters.addUnderlay(PmdCounters.UNDERLAY_CONTROL_SEND_FAILED, 1);
            return;
        }
        originatedData.wrap(originated.dataAddress(), frame.length);
        originatedData.putBytes(0, frame);
        originated.length(frame.length);
        txQueues.enqueue(underlayStage.underlay().port(), mbuf, frame.length);
        txQueues.flushAll();
        counters.addUnderlay(PmdCounters.UNDERLAY_SENT_FOR_CONTROL, 1);
    }

    /** This PMD seals frames to the link with the key from now on (the peer opens with it already). */
    void installLinkTxKey(final int link, final io.vanswitch.dataplane.federation.SealKey key)
    {
        try
        {
            linkKeys.installTxKey(link, key);
        }
        catch (final RuntimeException ex)
        {
            // a key refused (the one already in use): the link keeps its key; never lose the PMD over it
        }
    }

    /** The peer proxy will seal with the key; the previous one stays valid for frames in flight. */
    void installLinkRxKey(final int link, final io.vanswitch.dataplane.federation.SealKey key)
    {
        try
        {
            linkKeys.installRxKey(link, key);
        }
        catch (final RuntimeException ex)
        {
            // a key refused (an older one again): the opener keeps what it has
        }
    }

    /** A link went away (session lost, peer removed): its keys are forgotten; a new peer starts from zero counters. */
    void clearLink(final int link, final boolean resetCounters)
    {
        linkKeys.clear(link);
        if (resetCounters)
        {
            counters.resetLink(link);
        }
    }

    void learnFromPeer(final int vanIndex, final long mac, final int slot, final int generation)
    {
        final PortBinding binding = topology.binding(slot);
        if (null != binding && binding.generation() == generation && binding.vanIndex() == vanIndex)
        {
            fdb.learn(vanIndex, mac, LocalFdb.location(slot, generation));
        }
    }

    /**
     * A remote route from the control thread (a LEARN signal): the MAC lives behind that edge. It
     * replaces a local entry too: the control thread has decided the MAC moved away (its mobility
     * sequence lost); if the MAC speaks here again, local learning claims it back.
     */
    void installRemote(final int vanIndex, final long mac, final int edgeIndex)
    {
        final long existing = fdb.lookup(vanIndex, mac);
        if (existing != LocalFdb.MISSING && LocalFdb.slotOf(existing) == OverlayTopology.REMOTE_BASE + edgeIndex)
        {
            return; // already there: keep its hit count
        }
        fdb.remove(vanIndex, mac);
        fdb.learn(vanIndex, mac, LocalFdb.location(OverlayTopology.REMOTE_BASE + edgeIndex, 0));
    }

    /**
     * Reports how many frames each remote route carried from this PMD: key (LocalFdb.key) to hits,
     * every remote route included (0 hits too: the map's missing value is -1, never a count).
     */
    void collectRemoteHits(final CompletableFuture<org.agrona.collections.Long2LongHashMap> done)
    {
        final org.agrona.collections.Long2LongHashMap hits = new org.agrona.collections.Long2LongHashMap(-1);
        fdb.forEach((vanIndex, mac, location) ->
        {
            if (LocalFdb.slotOf(location) >= OverlayTopology.REMOTE_BASE)
            {
                hits.put(LocalFdb.key(vanIndex, mac), LocalFdb.generationOf(location) & 0xFFFF_FFFFL);
            }
            return false;
        });
        done.complete(hits);
    }

    /** A route withdrawn (UNLEARN, peer down, MAC moved here): frames to the MAC flood again. */
    void removeRemote(final int vanIndex, final long mac)
    {
        final long existing = fdb.lookup(vanIndex, mac);
        if (existing != LocalFdb.MISSING && LocalFdb.slotOf(existing) >= OverlayTopology.REMOTE_BASE)
        {
            fdb.remove(vanIndex, mac);
        }
    }

    void flushVan(final int vanIndex, final CompletableFuture<Void> done)
    {
        fdb.removeIf((van, mac, location) -> van == vanIndex);
        arpProxy.removeVan(vanIndex);
        counters.resetVan(vanIndex);
        done.complete(null);
    }

    int fdbSize()
    {
        return fdb.size();
    }
}
