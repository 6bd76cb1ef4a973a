package io.vanswitch.control.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The switch's whole persisted configuration: VANs, then the ports bound to them. Consistent by
 * construction: ids and names are unique and every port's VAN exists.
 */
public record SwitchConfig(List<VanSpec> vans, List<PortSpec> ports)
{
    public static final SwitchConfig EMPTY = new SwitchConfig(List.of(), List.of());

    public SwitchConfig
    {
        vans = List.copyOf(vans);
        ports = List.copyOf(ports);
        final Set<Integer> vanIds = new HashSet<>();
        for (final VanSpec van : vans)
        {
            if (!vanIds.add(van.id()))
            {
                throw new IllegalArgumentException("VAN " + van.id() + " is defined twice");
            }
        }
        final Set<String> names = new HashSet<>();
        final Set<String> targets = new HashSet<>();
        for (final PortSpec port : ports)
        {
            if (!names.add(port.name()))
            {
                throw new IllegalArgumentException("port " + port.name() + " is defined twice");
            }
            if (!targets.add(port.type().label() + ":" + port.target()))
            {
                throw new IllegalArgumentException("port " + port.name() + ": " + port.type().label() + " " + port.target() +
                    " is used by another port");
            }
            if (!vanIds.contains(port.vanId()))
            {
                throw new IllegalArgumentException("port " + port.name() + " is bound to VAN " + port.vanId() + ", which is not defined");
            }
        }
    }
}
