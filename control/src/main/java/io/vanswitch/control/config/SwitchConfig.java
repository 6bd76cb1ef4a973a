package io.vanswitch.control.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The switch's whole persisted configuration: the underlay (or null), VANs, then the ports bound to them. Consistent by
 * construction: ids and names are unique and every port's VAN exists.
 */
public record SwitchConfig(
    List<VanSpec> vans,
    List<PortSpec> ports,
    UnderlaySpec underlay,
    List<NeighborSpec> neighbors,
    List<Integer> sitePeers,
    List<StaticRouteSpec> staticRoutes,
    ProxySpec proxy,
    List<ProxyPeerSpec> proxyPeers,
    List<ProxyMapSpec> proxyMaps)
{
    public static final SwitchConfig EMPTY = new SwitchConfig(List.of(), List.of());

    public SwitchConfig(final List<VanSpec> vans, final List<PortSpec> ports)
    {
        this(vans, ports, null, List.of(), List.of(), List.of());
    }

    public SwitchConfig(final List<VanSpec> vans, final List<PortSpec> ports, final UnderlaySpec underlay, final List<NeighborSpec> neighbors)
    {
        this(vans, ports, underlay, neighbors, List.of(), List.of());
    }

    public SwitchConfig(
        final List<VanSpec> vans,
        final List<PortSpec> ports,
        final UnderlaySpec underlay,
        final List<NeighborSpec> neighbors,
        final List<Integer> sitePeers)
    {
        this(vans, ports, underlay, neighbors, sitePeers, List.of());
    }

    public SwitchConfig(
        final List<VanSpec> vans,
        final List<PortSpec> ports,
        final UnderlaySpec underlay,
        final List<NeighborSpec> neighbors,
        final List<Integer> sitePeers,
        final List<StaticRouteSpec> staticRoutes)
    {
        this(vans, ports, underlay, neighbors, sitePeers, staticRoutes, null, List.of(), List.of());
    }

    public SwitchConfig
    {
        proxyPeers = List.copyOf(proxyPeers);
        proxyMaps = List.copyOf(proxyMaps);
        sitePeers = List.copyOf(sitePeers);
        staticRoutes = List.copyOf(staticRoutes);
        if (new HashSet<>(sitePeers).size() != sitePeers.size())
        {
            throw new IllegalArgumentException("a site peer is listed twice");
        }
        vans = List.copyOf(vans);
        ports = List.copyOf(ports);
        neighbors = List.copyOf(neighbors);
        final Set<Integer> neighborIps = new HashSet<>();
        for (final NeighborSpec neighbor : neighbors)
        {
            if (!neighborIps.add(neighbor.ip()))
            {
                throw new IllegalArgumentException("neighbour " + io.vanswitch.dataplane.frame.Ipv4Address.format(neighbor.ip()) +
                    " is defined twice");
            }
        }
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
            if (null != underlay && port.deviceName().equals(underlay.deviceName()))
            {
                throw new IllegalArgumentException("port " + port.name() + " uses device " + port.deviceName() + ", the underlay's");
            }
            if (!vanIds.contains(port.vanId()))
            {
                throw new IllegalArgumentException("port " + port.name() + " is bound to VAN " + port.vanId() + ", which is not defined");
            }
        }
        final Set<String> peerNames = new HashSet<>();
        final Set<Integer> peerIps = new HashSet<>();
        for (final ProxyPeerSpec peer : proxyPeers)
        {
            if (!peerNames.add(peer.name()) || !peerIps.add(peer.ip()))
            {
                throw new IllegalArgumentException("peer proxy " + peer.name() + " (" +
                    io.vanswitch.dataplane.frame.Ipv4Address.format(peer.ip()) + ") is defined twice");
            }
        }
        final Set<String> localPairs = new HashSet<>();
        final Set<String> remotePairs = new HashSet<>();
        for (final ProxyMapSpec map : proxyMaps)
        {
            if (!peerNames.contains(map.peer()))
            {
                throw new IllegalArgumentException("mapping for unknown peer proxy " + map.peer());
            }
            if (!vanIds.contains(map.localVan()))
            {
                throw new IllegalArgumentException("mapping to peer proxy " + map.peer() + ": VAN " + map.localVan() + " is not defined");
            }
            if (!localPairs.add(map.peer() + "/" + map.localVan()) || !remotePairs.add(map.peer() + "/" + map.remoteVan()))
            {
                throw new IllegalArgumentException("peer proxy " + map.peer() + ": VAN " + map.localVan() + " or remote VAN " +
                    map.remoteVan() + " is mapped twice");
            }
        }
        if (null != proxy && ((null != underlay && proxy.deviceName().equals(underlay.deviceName())) ||
            ports.stream().anyMatch(port -> port.deviceName().equals(proxy.deviceName()))))
        {
            throw new IllegalArgumentException("the proxy's public device " + proxy.deviceName() + " is used by the underlay or a port");
        }
    }
}
