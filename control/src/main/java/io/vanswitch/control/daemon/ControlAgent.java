package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.pmd.PmdProxy;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.List;

/**
 * The control thread's duty cycle: answer the control socket, drain the PMD threads' learn events,
 * and poll device link state. All configuration state lives in the {@link SwitchConductor}, which
 * only this agent's thread touches.
 */
public final class ControlAgent implements Agent
{
    private static final long LINK_POLL_INTERVAL_MS = 200;
    private static final int LEARN_EVENTS_PER_CYCLE = 256;

    private final ControlServer server;
    private final ControlCommands commands;
    private final SwitchConductor conductor;
    private final List<PmdProxy> pmds;
    private final EpochClock clock;
    private long nextLinkPollMs;
    private final io.vanswitch.dataplane.pmd.LearnEventRing.OverlayEvents overlayEvents =
        new io.vanswitch.dataplane.pmd.LearnEventRing.OverlayEvents()
        {
            public void onFloodForLocal(final int vanIndex, final long mac, final int edgeIndex)
            {
                conductor.onFloodForLocal(vanIndex, mac, edgeIndex);
            }

            public void onDataNotHere(final int vanIndex, final long mac, final int edgeIndex)
            {
                conductor.onDataNotHere(vanIndex, mac, edgeIndex);
            }

            public void onUnknownVanData(final int vanId, final long mac, final int edgeIndex)
            {
                conductor.onUnknownVanData(vanId, mac, edgeIndex);
            }

            public void onSignal(final int senderIp, final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                conductor.onSignal(senderIp, buffer, offset, length, clock.time());
            }
        };

    public ControlAgent(
        final ControlServer server,
        final ControlCommands commands,
        final SwitchConductor conductor,
        final List<PmdProxy> pmds,
        final EpochClock clock)
    {
        this.server = server;
        this.commands = commands;
        this.conductor = conductor;
        this.pmds = pmds;
        this.clock = clock;
    }

    public String roleName()
    {
        return "vanswitch-control";
    }

    public int doWork()
    {
        int work = server.poll(commands::handle);
        final long nowMs = clock.time();
        for (final PmdProxy pmd : pmds)
        {
            final int from = pmd.agent().index();
            work += pmd.agent().learnEvents().drain(
                (vanIndex, mac, slot, generation) -> conductor.onLearned(from, vanIndex, mac, slot, generation, nowMs),
                (ip, mac) -> conductor.onNeighbor(ip, mac, nowMs),
                overlayEvents,
                LEARN_EVENTS_PER_CYCLE);
        }
        work += conductor.tick(nowMs);
        if (nowMs >= nextLinkPollMs)
        {
            nextLinkPollMs = nowMs + LINK_POLL_INTERVAL_MS;
            work += conductor.pollLinks();
        }
        return work;
    }

    public void onClose()
    {
        server.close();
    }
}
