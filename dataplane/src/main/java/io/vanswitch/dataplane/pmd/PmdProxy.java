package io.vanswitch.dataplane.pmd;

import io.vanswitch.dataplane.pipeline.ForwardingTopology;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The control thread's handle on one PMD thread (compare Aeron's ReceiverProxy): every change is a
 * command offered into the PMD's queue and run on the PMD thread, so the PMD's state has a single
 * writer. A full queue is retried briefly, then reported as a failed future and counted.
 */
public final class PmdProxy
{
    private static final long OFFER_TIMEOUT_NS = 1_000_000_000L;

    private final PmdAgent agent;
    private final AtomicLong failedOffers = new AtomicLong();

    public PmdProxy(final PmdAgent agent)
    {
        this.agent = agent;
    }

    public PmdAgent agent()
    {
        return agent;
    }

    public long failedOffers()
    {
        return failedOffers.get();
    }

    public CompletableFuture<Void> installTopology(final ForwardingTopology topology)
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        offer(() -> agent.installTopology(topology, done), done);
        return done;
    }

    public CompletableFuture<Void> flushVan(final int vanIndex)
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        offer(() -> agent.flushVan(vanIndex, done), done);
        return done;
    }

    /** Keys of a federation link: retried while the PMD's queue is full, as topology changes are. */
    public void installLinkTxKey(final int link, final io.vanswitch.dataplane.federation.SealKey key)
    {
        offer(() -> agent.installLinkTxKey(link, key), new CompletableFuture<>());
    }

    public void installLinkRxKey(final int link, final io.vanswitch.dataplane.federation.SealKey key)
    {
        offer(() -> agent.installLinkRxKey(link, key), new CompletableFuture<>());
    }

    public void clearLink(final int link, final boolean resetCounters)
    {
        offer(() -> agent.clearLink(link, resetCounters), new CompletableFuture<>());
    }

    /** Sends a frame the control thread built on the underlay, if this PMD polls it. Best effort. */
    public void transmitOnUnderlay(final byte[] frame)
    {
        if (!agent.offer(() -> agent.transmitOnUnderlay(frame)))
        {
            failedOffers.incrementAndGet();
        }
    }

    /** Asks the PMD for the frames each remote route carried (for fdb show). */
    public CompletableFuture<org.agrona.collections.Long2LongHashMap> remoteHits()
    {
        final CompletableFuture<org.agrona.collections.Long2LongHashMap> done = new CompletableFuture<>();
        if (!agent.offer(() -> agent.collectRemoteHits(done)))
        {
            failedOffers.incrementAndGet();
            done.completeExceptionally(new IllegalStateException(agent.roleName() + " command queue is full"));
        }
        return done;
    }

    /** Installs a remote route (best effort: a lost command costs a flood, which asks again). */
    public void installRemote(final int vanIndex, final long mac, final int edgeIndex)
    {
        if (!agent.offer(() -> agent.installRemote(vanIndex, mac, edgeIndex)))
        {
            failedOffers.incrementAndGet();
        }
    }

    public void removeRemote(final int vanIndex, final long mac)
    {
        if (!agent.offer(() -> agent.removeRemote(vanIndex, mac)))
        {
            failedOffers.incrementAndGet();
        }
    }

    /** Tells this PMD of a MAC another PMD learned, so it forwards instead of flooding. Best effort. */
    public void learnFromPeer(final int vanIndex, final long mac, final int slot, final int generation)
    {
        if (!agent.offer(() -> agent.learnFromPeer(vanIndex, mac, slot, generation)))
        {
            failedOffers.incrementAndGet();
        }
    }

    private void offer(final Runnable command, final CompletableFuture<Void> done)
    {
        final long deadline = System.nanoTime() + OFFER_TIMEOUT_NS;
        while (!agent.offer(command))
        {
            if (System.nanoTime() > deadline)
            {
                failedOffers.incrementAndGet();
                done.completeExceptionally(new IllegalStateException(agent.roleName() + " command queue is full"));
                return;
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
