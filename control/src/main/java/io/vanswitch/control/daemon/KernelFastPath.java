package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.dpdk.PortDevice;
import io.vanswitch.dataplane.frame.MacAddress;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel fast path (opt-in, {@code vanswitch start --kernel-fast-path}): flows the switch has
 * learned between two veth ports of one VAN are forwarded by the kernel itself, as Open vSwitch
 * offloads its flows to tc. A flow is a (source MAC, destination MAC) pair whose source the switch
 * learned on one veth port and whose destination on another veth port of the same VAN; its rule on
 * the first port's ingress redirects exactly that pair to the second port (tc u32 and mirred). A
 * segment of 64 KiB then crosses without the two copies through user space that cost the switch its
 * TCP throughput against the Linux bridge.
 * <p>
 * The switch keeps deciding: only what it learned is forwarded, only within a VAN, and a MAC seen on
 * another port (a move), removed from the table, or on a port or VAN deleted takes its rules away at
 * the next reconcile. Everything else (broadcast, unknown destinations, new sources, other kinds of
 * ports) still goes through the PMDs, and a new source is learned there before it gets a rule.
 * <p>
 * The port's packet socket sees a frame before tc does, so the rx socket's filter refuses the
 * port's redirected pairs ({@code PacketSocketPort.bypass}): without it the switch would forward each
 * such frame a second time. Rules go before the filter lets their frames back, and the filter takes
 * new pairs before their rules exist, so a change drops a few frames of the flows it moves rather
 * than duplicating them.
 * <p>
 * Control thread only. Configuration-time work: one tc(8) batch per changed port, never per packet.
 */
final class KernelFastPath
{
    /** Rules (flows) per ingress port: each is one more u32 classifier and filter compare per frame. */
    static final int MAX_FLOWS_PER_PORT = 64;
    /** Shortest time between two passes over the learned table. */
    static final long MIN_RECONCILE_SPACING_MS = 20;
    /** tc priority of a port's first rule; each rule has its own. */
    static final int FIRST_PREF = 100;

    /** A MAC the switch learned on a veth port ({@code device} is the switch's side of the pair). */
    record Endpoint(int vanIndex, long mac, String device)
    {
    }

    /** Frames from {@code source} to {@code destination} arriving at a port leave by {@code egress}. */
    record Flow(long source, long destination, String egress)
    {
    }

    /** What the fast path asks of the kernel; {@link TcKernel} in the daemon. */
    interface Kernel
    {
        /** Gives the device an empty clsact qdisc (removing any rules a previous run left). */
        void reset(String device);

        /** Removes the device's clsact qdisc and with it every rule; absent is fine. */
        void release(String device);

        /** Runs tc(8) batch lines; throws IllegalStateException with tc's message when one fails. */
        void apply(List<String> batch);

        /** @return 0 or a negative errno: keeps the pairs from the port's rx socket. */
        int bypass(String device, PortDevice port, long[] pairs, int count);

        /** @return per rule priority: {packets, bytes} the kernel forwarded by that rule. */
        Map<Integer, long[]> ruleStats(String device);
    }

    private final Kernel kernel;
    private final Map<String, PortRules> ports = new LinkedHashMap<>();

    KernelFastPath(final Kernel kernel)
    {
        this.kernel = kernel;
    }

    /**
     * A veth port opened: its ingress starts without rules. When the kernel cannot take rules on it
     * (no clsact qdisc), the port works through the PMDs alone and {@link #failure} says why.
     */
    void attach(final String device, final PortDevice port)
    {
        final PortRules rules = new PortRules(port);
        try
        {
            kernel.reset(device);
        }
        catch (final IllegalStateException ex)
        {
            rules.failure = "cannot set up tc on " + device + ": " + ex.getMessage();
            System.err.println("vanswitch: kernel fast path off for " + device + ": " + rules.failure);
        }
        ports.put(device, rules);
    }

    /** A veth port is closing: its rules go, and with it the filter (the socket closes). */
    void detach(final String device)
    {
        if (null != ports.remove(device))
        {
            kernel.release(device);
        }
    }

    /**
     * Brings every attached port's rules and filter to what the learned endpoints call for.
     *
     * @return the number of ports whose rules changed.
     */
    int reconcile(final List<Endpoint> endpoints)
    {
        final Map<String, Set<Flow>> wanted = flows(endpoints, ports.keySet());
        int changed = 0;
        for (final Map.Entry<String, PortRules> entry : ports.entrySet())
        {
            final String device = entry.getKey();
            final PortRules rules = entry.getValue();
            if (null != rules.failure)
            {
                continue;
            }
            final Set<Flow> want = wanted.getOrDefault(device, Set.of());
            if (want.equals(rules.prefs.keySet()))
            {
                continue;
            }
            changed++;
            try
            {
                update(device, rules, want);
            }
            catch (final IllegalStateException ex)
            {
                // whatever half-applied state the port is in, leave none: every frame back through the PMDs
                rules.failure = ex.getMessage();
                System.err.println("vanswitch: kernel fast path off for " + device + ": " + rules.failure);
                kernel.bypass(device, rules.port, new long[0], 0);
                try
                {
                    kernel.reset(device);
                }
                catch (final IllegalStateException again)
                {
                    System.err.println("vanswitch: " + again.getMessage());
                }
                rules.prefs.clear();
                rules.usedPrefs.clear();
            }
        }
        return changed;
    }

    private void update(final String device, final PortRules rules, final Set<Flow> want)
    {
        final List<String> removals = new ArrayList<>();
        final List<Flow> gone = new ArrayList<>();
        for (final Map.Entry<Flow, Integer> installed : rules.prefs.entrySet())
        {
            if (!want.contains(installed.getKey()))
            {
                gone.add(installed.getKey());
                removals.add("filter del dev " + device + " ingress pref " + installed.getValue());
            }
        }
        if (!gone.isEmpty())
        {
            // what the rules forwarded stays in the port's counters after they go
            final Map<Integer, long[]> stats = kernel.ruleStats(device);
            for (final Flow flow : gone)
            {
                final int pref = rules.prefs.remove(flow);
                final long[] counts = stats.get(pref);
                if (null != counts)
                {
                    rules.packetsGone += counts[0];
                    rules.bytesGone += counts[1];
                }
                rules.usedPrefs.clear(pref - FIRST_PREF);
            }
            kernel.apply(removals);
        }

        final List<String> additions = new ArrayList<>();
        for (final Flow flow : want)
        {
            if (!rules.prefs.containsKey(flow))
            {
                final int pref = FIRST_PREF + rules.usedPrefs.nextClearBit(0);
                rules.usedPrefs.set(pref - FIRST_PREF);
                rules.prefs.put(flow, pref);
                additions.add("filter add dev " + device + " ingress pref " + pref + " protocol all u32" +
                    " match ether src " + MacAddress.format(flow.source()) +
                    " match ether dst " + MacAddress.format(flow.destination()) +
                    " action mirred egress redirect dev " + flow.egress());
            }
        }
        final long[] pairs = new long[rules.prefs.size() * 2];
        int i = 0;
        for (final Flow flow : rules.prefs.keySet())
        {
            pairs[i++] = flow.source();
            pairs[i++] = flow.destination();
        }
        final int rc = kernel.bypass(device, rules.port, pairs, rules.prefs.size());
        if (rc != 0)
        {
            throw new IllegalStateException("cannot set the rx filter of " + device + " (errno " + -rc + ")");
        }
        if (!additions.isEmpty())
        {
            kernel.apply(additions);
        }
    }

    /**
     * The flows the endpoints call for, per ingress device: every learned MAC on an attached port
     * towards every learned MAC of the same VAN on another attached port, at most
     * {@link #MAX_FLOWS_PER_PORT} per port (the first in the endpoints' order).
     */
    static Map<String, Set<Flow>> flows(final List<Endpoint> endpoints, final Set<String> attached)
    {
        final Map<Integer, List<Endpoint>> byVan = new LinkedHashMap<>();
        for (final Endpoint endpoint : endpoints)
        {
            if (attached.contains(endpoint.device()))
            {
                byVan.computeIfAbsent(endpoint.vanIndex(), v -> new ArrayList<>()).add(endpoint);
            }
        }
        final Map<String, Set<Flow>> flows = new LinkedHashMap<>();
        for (final List<Endpoint> van : byVan.values())
        {
            for (final Endpoint from : van)
            {
                for (final Endpoint to : van)
                {
                    if (to.device().equals(from.device()))
                    {
                        continue;
                    }
                    final Set<Flow> portFlows = flows.computeIfAbsent(from.device(), d -> new LinkedHashSet<>());
                    if (portFlows.size() == MAX_FLOWS_PER_PORT)
                    {
                        break;
                    }
                    portFlows.add(new Flow(from.mac(), to.mac(), to.device()));
                }
            }
        }
        return flows;
    }

    boolean isAttached(final String device)
    {
        return ports.containsKey(device);
    }

    /** @return the port's flows in the kernel now. */
    int flowCount(final String device)
    {
        final PortRules rules = ports.get(device);
        return null == rules ? 0 : rules.prefs.size();
    }

    /** @return why the fast path is off for the port, or null. */
    String failure(final String device)
    {
        final PortRules rules = ports.get(device);
        return null == rules ? null : rules.failure;
    }

    /** @return {packets, bytes} the kernel forwarded from the port, rules since removed included. */
    long[] forwarded(final String device)
    {
        final PortRules rules = ports.get(device);
        if (null == rules)
        {
            return new long[2];
        }
        final long[] total = {rules.packetsGone, rules.bytesGone};
        if (!rules.prefs.isEmpty())
        {
            for (final Map.Entry<Integer, long[]> stat : kernel.ruleStats(device).entrySet())
            {
                if (rules.prefs.containsValue(stat.getKey()))
                {
                    total[0] += stat.getValue()[0];
                    total[1] += stat.getValue()[1];
                }
            }
        }
        return total;
    }

    private static final class PortRules
    {
        final PortDevice port;
        final Map<Flow, Integer> prefs = new LinkedHashMap<>();
        final BitSet usedPrefs = new BitSet(MAX_FLOWS_PER_PORT);
        long packetsGone;
        long bytesGone;
        String failure;

        PortRules(final PortDevice port)
        {
            this.port = port;
        }
    }
}
