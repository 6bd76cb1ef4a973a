package io.vanswitch.dataplane.pipeline;

import io.vanswitch.dataplane.pmd.PmdCounters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable snapshot of the switch's ports and VANs as the packet path needs them: bindings by
 * slot and, per VAN, the slots a flooded frame goes to. The control thread builds a new one for
 * every change and hands it to each PMD thread, which installs it between bursts; nothing in it
 * is ever mutated after publication.
 */
public final class ForwardingTopology
{
    public static final ForwardingTopology EMPTY = new ForwardingTopology(List.of());
    private static final int[] NO_SLOTS = new int[0];

    private final PortBinding[] bySlot = new PortBinding[PmdCounters.MAX_PORTS];
    private final int[][] floodSlotsByVan = new int[PmdCounters.MAX_VANS][];
    private final List<PortBinding> bindings;
    private final UnderlayBinding underlay;
    private final io.vanswitch.dataplane.overlay.OverlayTopology overlay;
    private final io.vanswitch.dataplane.federation.FederationBinding federation;

    public ForwardingTopology(final List<PortBinding> bindings)
    {
        this(bindings, null);
    }

    /**
     * @param underlay the underlay port and the host's underlay addresses, or null when not set.
     */
    public ForwardingTopology(final List<PortBinding> bindings, final UnderlayBinding underlay)
    {
        this(bindings, underlay, null);
    }

    /**
     * @param overlay remote edges and per-VAN broadcast domains, or null without an overlay.
     */
    public ForwardingTopology(
        final List<PortBinding> bindings, final UnderlayBinding underlay, final io.vanswitch.dataplane.overlay.OverlayTopology overlay)
    {
        this(bindings, underlay, overlay, null);
    }

    /**
     * @param federation a proxy's public port and its kernel interface, or null when this switch is no proxy.
     */
    public ForwardingTopology(
        final List<PortBinding> bindings,
        final UnderlayBinding underlay,
        final io.vanswitch.dataplane.overlay.OverlayTopology overlay,
        final io.vanswitch.dataplane.federation.FederationBinding federation)
    {
        this.bindings = List.copyOf(bindings);
        this.underlay = underlay;
        this.overlay = null == underlay ? null : overlay;
        this.federation = null == this.overlay ? null : federation;
        Arrays.fill(floodSlotsByVan, NO_SLOTS);
        final List<List<Integer>> byVan = new ArrayList<>();
        for (int i = 0; i < PmdCounters.MAX_VANS; i++)
        {
            byVan.add(null);
        }
        for (final PortBinding binding : this.bindings)
        {
            if (null != bySlot[binding.slot()])
            {
                throw new IllegalArgumentException("slot " + binding.slot() + " bound twice");
            }
            bySlot[binding.slot()] = binding;
            List<Integer> slots = byVan.get(binding.vanIndex());
            if (null == slots)
            {
                slots = new ArrayList<>();
                byVan.set(binding.vanIndex(), slots);
            }
            slots.add(binding.slot());
        }
        for (int van = 0; van < PmdCounters.MAX_VANS; van++)
        {
            final List<Integer> slots = byVan.get(van);
            if (null != slots)
            {
                floodSlotsByVan[van] = slots.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    public PortBinding binding(final int slot)
    {
        return bySlot[slot];
    }

    /** Slots of every port in the VAN (the ingress port included: callers skip it). */
    public int[] floodSlots(final int vanIndex)
    {
        return floodSlotsByVan[vanIndex];
    }

    public UnderlayBinding underlay()
    {
        return underlay;
    }

    /** Null without an underlay or before any peer is known. */
    public io.vanswitch.dataplane.overlay.OverlayTopology overlay()
    {
        return overlay;
    }

    /** Null unless this switch is its site's proxy (and has an overlay). */
    public io.vanswitch.dataplane.federation.FederationBinding federation()
    {
        return federation;
    }

    public List<PortBinding> bindings()
    {
        return bindings;
    }

    public PortBinding[] polledBy(final int pmdIndex)
    {
        return bindings.stream().filter(b -> b.pmdIndex() == pmdIndex).toArray(PortBinding[]::new);
    }
}
