package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;
import io.vanswitch.control.config.NeighborSpec;
import io.vanswitch.control.config.PortType;
import io.vanswitch.control.config.UnderlaySpec;
import io.vanswitch.control.overlay.NeighborTable;
import io.vanswitch.dataplane.dpdk.PortDevice;
import io.vanswitch.dataplane.fdb.LocalFdb;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.dataplane.pipeline.UnderlayBinding;
import io.vanswitch.dataplane.underlay.ArpRequestWriter;
import io.vanswitch.control.config.StateFile;
import io.vanswitch.control.config.StateFileException;
import io.vanswitch.control.config.SwitchConfig;
import io.vanswitch.control.config.VanSpec;
import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.MacAddress;
import io.vanswitch.dataplane.pipeline.ForwardingTopology;
import io.vanswitch.dataplane.pipeline.PortBinding;
import io.vanswitch.dataplane.pmd.DropReason;
import io.vanswitch.dataplane.pmd.PmdCounters;
import io.vanswitch.dataplane.pmd.PmdProxy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The switch's configuration authority, on the control thread only (compare Aeron's
 * DriverConductor): owns the VANs and ports, creates and closes devices, publishes every change to
 * the PMD threads as a new {@link ForwardingTopology}, and persists the configuration after each
 * change. Requests fail with an {@link IllegalArgumentException} whose message is one line for the
 * operator; a failed request changes nothing.
 */
public final class SwitchConductor
{
    private static final long PMD_ACK_TIMEOUT_MS = 5_000;

    private final PortDriver portDriver;
    private final List<PmdProxy> pmds;
    private final StateFile stateFile;
    private final FdbView fdbView = new FdbView();
    private final PmdCounterSums sums;
    private final Map<Integer, VanState> vans = new LinkedHashMap<>();
    private final Map<String, PortState> ports = new LinkedHashMap<>();
    private final BitSet usedSlots = new BitSet(PmdCounters.MAX_PORTS);
    private final BitSet usedVanIndexes = new BitSet(PmdCounters.MAX_VANS);
    private int nextGeneration = 1;
    private final NeighborTable neighbors = new NeighborTable();
    private UnderlaySpec underlay;
    private PortDevice underlayPort;
    private String underlayFailure;
    private long underlayMac = MacAddress.NONE;
    private int underlayGeneration;
    private final List<Integer> sitePeers = new ArrayList<>();
    private final List<io.vanswitch.control.config.StaticRouteSpec> staticRoutes = new ArrayList<>();
    private EdgeBridge edgeBridge;
    private long publishedBridgeVersion = -1;
    private long healthTimeoutMs = EdgeBridge.DEFAULT_HEALTH_TIMEOUT_MS;
    private io.vanswitch.control.config.ProxySpec proxySpec;
    private final List<io.vanswitch.control.config.ProxyPeerSpec> proxyPeers = new ArrayList<>();
    private final List<io.vanswitch.control.config.ProxyMapSpec> proxyMaps = new ArrayList<>();
    private SiteProxy siteProxy;
    private String proxyFailure;
    private long proxyRekeyMs = SiteProxy.DEFAULT_REKEY_INTERVAL_MS;
    private KernelFastPath kernelFastPath;
    private long kernelFastPathVersion = -1;
    private long kernelFastPathReconciledMs;

    public SwitchConductor(final PortDriver portDriver, final List<PmdProxy> pmds, final StateFile stateFile)
    {
        if (pmds.isEmpty())
        {
            throw new IllegalArgumentException("at least one PMD thread");
        }
        this.portDriver = portDriver;
        this.pmds = List.copyOf(pmds);
        this.sums = new PmdCounterSums(this.pmds);
        this.stateFile = stateFile;
    }

    /**
     * Restores a configuration at start. A port whose device cannot be made is kept (and persisted)
     * in a failed state, so the operator sees it and nothing is lost.
     */
    public void restore(final SwitchConfig config)
    {
        config.neighbors().forEach(n -> neighbors.addStatic(n.ip(), n.mac(), System.currentTimeMillis()));
        sitePeers.addAll(config.sitePeers());
        staticRoutes.addAll(config.staticRoutes());
        if (null != config.underlay())
        {
            underlay = config.underlay();
            try
            {
                openUnderlay(config.underlay());
            }
            catch (final RuntimeException ex)
            {
                underlayFailure = ex.getMessage();
                System.err.println("vanswitch: underlay not restored: " + ex.getMessage());
            }
        }
        for (final VanSpec van : config.vans())
        {
            addVanState(van);
        }
        for (final PortSpec spec : config.ports())
        {
            final PortState port = allocatePort(spec);
            try
            {
                port.open = portDriver.open(spec, pmds.size());
                attachFastPath(port);
            }
            catch (final RuntimeException ex)
            {
                port.failure = ex.getMessage();
                System.err.println("vanswitch: port " + spec.name() + " not restored: " + ex.getMessage());
            }
            ports.put(spec.name(), port);
        }
        // the edge bridge was made with the underlay, before the ports: it serves their VANs now
        localVansChanged();
        proxyPeers.addAll(config.proxyPeers());
        proxyMaps.addAll(config.proxyMaps());
        if (null != config.proxy())
        {
            proxySpec = config.proxy();
            try
            {
                openProxy(SiteProxy.loadCredentials(proxySpec));
            }
            catch (final RuntimeException ex)
            {
                proxyFailure = ex.getMessage();
                System.err.println("vanswitch: proxy not restored: " + ex.getMessage());
            }
        }
        publishTopology();
    }

    // ---- VANs ----

    public void addVan(final VanSpec spec)
    {
        if (vans.containsKey(spec.id()))
        {
            throw new IllegalArgumentException("VAN " + spec.id() + " already exists");
        }
        addVanState(spec);
        persist();
    }

    private void addVanState(final VanSpec spec)
    {
        final int index = usedVanIndexes.nextClearBit(0);
        if (index >= PmdCounters.MAX_VANS)
        {
            throw new IllegalArgumentException("cannot add VAN " + spec.id() + ": the switch serves at most " + PmdCounters.MAX_VANS + " VANs");
        }
        usedVanIndexes.set(index);
        vans.put(spec.id(), new VanState(spec, index));
    }

    public void deleteVan(final int id)
    {
        final VanState van = vans.get(id);
        if (null == van)
        {
            throw unknownVan(id);
        }
        final List<String> bound = ports.values().stream().filter(p -> p.spec.vanId() == id).map(p -> p.spec.name()).toList();
        if (!bound.isEmpty())
        {
            throw new IllegalArgumentException("VAN " + id + " still has ports (" + String.join(", ", bound) +
                "): delete them first with 'vanctl port del NAME'");
        }
        final List<String> mappedTo = proxyMaps.stream().filter(m -> m.localVan() == id).map(m -> m.peer()).toList();
        if (!mappedTo.isEmpty())
        {
            throw new IllegalArgumentException("VAN " + id + " is mapped to peer proxy " + String.join(", ", mappedTo) +
                ": remove the mapping first with 'vanctl proxy unmap NAME --local-van " + id + "'");
        }
        final List<CompletableFuture<Void>> acks = new ArrayList<>();
        pmds.forEach(pmd -> acks.add(pmd.flushVan(van.index)));
        await(acks, "flush VAN " + id);
        fdbView.removeVan(van.index);
        vans.remove(id);
        usedVanIndexes.clear(van.index);
        persist();
    }

    private static IllegalArgumentException unknownVan(final int id)
    {
        return new IllegalArgumentException("unknown VAN " + id + ": create it with 'vanctl van add " + id + "'");
    }

    // ---- ports ----

    public void addPort(final PortSpec spec)
    {
        if (ports.containsKey(spec.name()))
        {
            throw new IllegalArgumentException("port " + spec.name() + " already exists");
        }
        if (!vans.containsKey(spec.vanId()))
        {
            throw unknownVan(spec.vanId());
        }
        for (final PortState other : ports.values())
        {
            if (other.spec.type() == spec.type() && other.spec.target().equals(spec.target()))
            {
                throw new IllegalArgumentException(spec.type().label() + " " + spec.target() + " is already used by port " + other.spec.name());
            }
            if (other.spec.deviceName().equals(spec.deviceName()))
            {
                throw new IllegalArgumentException("device " + spec.deviceName() + " is already used by port " + other.spec.name());
            }
        }
        if (null != underlay && underlay.deviceName().equals(spec.deviceName()))
        {
            throw new IllegalArgumentException("device " + spec.deviceName() + " is the underlay's");
        }
        if (usedSlots.cardinality() >= PmdCounters.VAN_PORT_SLOTS)
        {
            throw new IllegalArgumentException("cannot add port " + spec.name() + ": the switch has at most " + PmdCounters.VAN_PORT_SLOTS + " ports");
        }

        final PortDevice open = portDriver.open(spec, pmds.size());
        final PortState port = allocatePort(spec);
        port.open = open;
        attachFastPath(port);
        ports.put(spec.name(), port);
        localVansChanged();
        publishTopology();
        persist();
    }

    private PortState allocatePort(final PortSpec spec)
    {
        final int slot = usedSlots.nextClearBit(0);
        usedSlots.set(slot);
        final int[] load = new int[pmds.size()];
        ports.values().forEach(p -> load[p.pmdIndex]++);
        int pmdIndex = 0;
        for (int i = 1; i < load.length; i++)
        {
            if (load[i] < load[pmdIndex])
            {
                pmdIndex = i;
            }
        }
        return new PortState(spec, slot, nextGeneration++, pmdIndex);
    }

    public void deletePort(final String name)
    {
        final PortState port = ports.remove(name);
        if (null == port)
        {
            throw new IllegalArgumentException("unknown port " + name + ": see 'vanctl port list'");
        }
        // the PMDs stop polling and sending to the port before its device goes away
        publishTopology();
        detachFastPath(port);
        if (null != port.open)
        {
            port.open.close();
        }
        portDriver.removeOutside(port.spec);
        if (null != edgeBridge)
        {
            for (final FdbView.Entry entry : fdbView.entries())
            {
                if (entry.slot() == port.slot)
                {
                    edgeBridge.onLocalGone(port.spec.vanId(), entry.mac());
                }
            }
        }
        fdbView.removeSlot(port.slot);
        usedSlots.clear(port.slot);
        // no rule on another port may redirect to the pair once it is gone
        reconcileFastPath(System.currentTimeMillis(), true);
        localVansChanged();
        publishTopology();
        persist();
    }

    // ---- the kernel fast path ----

    /** Before restore: learned flows between veth ports are forwarded by the kernel (KernelFastPath). */
    public void enableKernelFastPath(final KernelFastPath.Kernel kernel)
    {
        this.kernelFastPath = new KernelFastPath(kernel);
    }

    private void attachFastPath(final PortState port)
    {
        if (null != kernelFastPath && port.spec.type() == PortType.VETH && null != port.open)
        {
            kernelFastPath.attach(port.spec.vethSwitchSide(), port.open);
        }
    }

    private void detachFastPath(final PortState port)
    {
        if (null != kernelFastPath && port.spec.type() == PortType.VETH)
        {
            kernelFastPath.detach(port.spec.vethSwitchSide());
        }
    }

    /**
     * Brings the kernel's rules to the learned table when it changed, at most every
     * {@link KernelFastPath#MIN_RECONCILE_SPACING_MS}: learning in bursts (a flood of new MACs on any
     * port) then costs one pass over the table, not one per MAC.
     *
     * @return the number of ports whose kernel rules changed.
     */
    private int reconcileFastPath(final long nowMs, final boolean now)
    {
        if (null == kernelFastPath || fdbView.version() == kernelFastPathVersion ||
            (!now && nowMs - kernelFastPathReconciledMs < KernelFastPath.MIN_RECONCILE_SPACING_MS))
        {
            return 0;
        }
        kernelFastPathVersion = fdbView.version();
        kernelFastPathReconciledMs = nowMs;
        final Map<Integer, PortState> bySlot = new HashMap<>();
        ports.values().forEach(p -> bySlot.put(p.slot, p));
        final List<KernelFastPath.Endpoint> endpoints = new ArrayList<>();
        for (final FdbView.Entry entry : fdbView.entries())
        {
            final PortState port = bySlot.get(entry.slot());
            if (null != port && port.generation == entry.generation() && port.spec.type() == PortType.VETH && null != port.open)
            {
                endpoints.add(new KernelFastPath.Endpoint(entry.vanIndex(), entry.mac(), port.spec.vethSwitchSide()));
            }
        }
        return kernelFastPath.reconcile(endpoints);
    }

    // ---- underlay and neighbours ----

    /**
     * Sets (or replaces) the underlay. The old device is taken out of the packet path and closed
     * before the new one is opened.
     */
    public void setUnderlay(final UnderlaySpec spec)
    {
        for (final PortState port : ports.values())
        {
            if (port.spec.deviceName().equals(spec.deviceName()))
            {
                throw new IllegalArgumentException("device " + spec.deviceName() + " is already used by port " + port.spec.name());
            }
        }
        closeUnderlay();
        underlay = spec;
        underlayFailure = null;
        try
        {
            openUnderlay(spec);
        }
        catch (final RuntimeException ex)
        {
            underlay = null;
            throw ex;
        }
        publishTopology();
        persist();
    }

    private void openUnderlay(final UnderlaySpec spec)
    {
        underlayPort = portDriver.openUnderlay(spec.devargs(), pmds.size());
        if (spec.mac() != MacAddress.NONE)
        {
            final int rc = underlayPort.setMacAddress(spec.mac());
            if (rc != 0)
            {
                underlayPort.close();
                underlayPort = null;
                throw new IllegalArgumentException("underlay device " + spec.deviceName() + " refuses MAC " + MacAddress.format(spec.mac()) +
                    ": " + io.vanswitch.dataplane.dpdk.Eal.strerror(rc));
            }
        }
        underlayMac = underlayPort.macAddress();
        underlayGeneration = nextGeneration++;
        if (MacAddress.isGroup(underlayMac) || MacAddress.isZero(underlayMac) || underlayMac == MacAddress.NONE)
        {
            underlayPort.close();
            underlayPort = null;
            throw new IllegalArgumentException("underlay device " + spec.deviceName() + " has no usable MAC address");
        }
        final int mtuResult = underlayPort.setMtu(spec.mtu());
        if (mtuResult != 0)
        {
            System.out.println("vanswitch: underlay device " + spec.deviceName() + " keeps its own MTU (" +
                io.vanswitch.dataplane.dpdk.Eal.strerror(mtuResult) + "): make it at least " + spec.mtu() + " on the device itself");
        }
        edgeBridge = new EdgeBridge(spec, underlayMac, pmds, neighbors, this::vanIndexOf, localMacs, System.currentTimeMillis());
        edgeBridge.healthTimeoutMs(healthTimeoutMs);
        edgeBridge.setPeers(sitePeers);
        edgeBridge.setStaticRoutes(staticRoutes);
        edgeBridge.setLocalVans(localVans());
        if (null != siteProxy)
        {
            applyLinks();
        }
    }

    public void healthTimeoutMs(final long timeoutMs)
    {
        this.healthTimeoutMs = timeoutMs;
        if (null != edgeBridge)
        {
            edgeBridge.healthTimeoutMs(timeoutMs);
        }
    }

    private final EdgeBridge.LocalMacs localMacs = new EdgeBridge.LocalMacs()
    {
        public void movedAway(final int van, final long mac)
        {
            final int vanIndex = vanIndexOf(van);
            if (vanIndex >= 0)
            {
                fdbView.remove(vanIndex, mac);
            }
        }

        public boolean isLocal(final int van, final long mac)
        {
            final int vanIndex = vanIndexOf(van);
            return vanIndex >= 0 && fdbView.isLocal(vanIndex, mac);
        }

        public void reassert(final int van, final long mac)
        {
            final int vanIndex = vanIndexOf(van);
            final FdbView.Entry entry = vanIndex < 0 ? null : fdbView.entry(vanIndex, mac);
            if (null != entry)
            {
                pmds.forEach(pmd -> pmd.learnFromPeer(vanIndex, mac, entry.slot(), entry.generation()));
            }
        }
    };

    private int vanIndexOf(final int vanId)
    {
        final VanState van = vans.get(vanId);
        return null == van ? -1 : van.index;
    }

    private int vanIdOf(final int vanIndex)
    {
        for (final VanState van : vans.values())
        {
            if (van.index == vanIndex)
            {
                return van.spec.id();
            }
        }
        return 0;
    }

    private java.util.Set<Integer> localVans()
    {
        final java.util.Set<Integer> served = new java.util.TreeSet<>();
        ports.values().forEach(p -> served.add(p.spec.vanId()));
        if (null != siteProxy)
        {
            // a proxy serves every mapped VAN in its site: it stands for the peer sites' nodes
            proxyMaps.forEach(m -> served.add(m.localVan()));
        }
        return served;
    }

    private void localVansChanged()
    {
        if (null != edgeBridge)
        {
            edgeBridge.setLocalVans(localVans());
        }
    }

    // ---- the site ----

    public void addSitePeer(final int ip)
    {
        if (sitePeers.contains(ip))
        {
            throw new IllegalArgumentException("site peer " + Ipv4Address.format(ip) + " already exists");
        }
        if (null != underlay && ip == underlay.ip())
        {
            throw new IllegalArgumentException(Ipv4Address.format(ip) + " is this host's own underlay address");
        }
        if (sitePeers.size() >= io.vanswitch.dataplane.overlay.OverlayTopology.MAX_EDGES)
        {
            throw new IllegalArgumentException("cannot add site peer " + Ipv4Address.format(ip) + ": at most " +
                io.vanswitch.dataplane.overlay.OverlayTopology.MAX_EDGES + " peers");
        }
        sitePeers.add(ip);
        if (null != edgeBridge)
        {
            edgeBridge.setPeers(sitePeers);
        }
        persist();
    }

    public void deleteSitePeer(final int ip)
    {
        if (!sitePeers.remove((Integer)ip))
        {
            throw new IllegalArgumentException("unknown site peer " + Ipv4Address.format(ip) + ": see 'vanctl site peer list'");
        }
        if (null != edgeBridge)
        {
            edgeBridge.setPeers(sitePeers);
        }
        publishTopology();
        persist();
    }

    public void addStaticRoute(final io.vanswitch.control.config.StaticRouteSpec route)
    {
        if (!vans.containsKey(route.vanId()))
        {
            throw unknownVan(route.vanId());
        }
        if (!sitePeers.contains(route.peer()))
        {
            throw new IllegalArgumentException(Ipv4Address.format(route.peer()) + " is not a site peer: add it with 'vanctl site peer add'");
        }
        staticRoutes.removeIf(r -> r.vanId() == route.vanId() && r.mac() == route.mac());
        staticRoutes.add(route);
        if (null != edgeBridge)
        {
            edgeBridge.setStaticRoutes(staticRoutes);
            publishTopology();
        }
        persist();
    }

    public void deleteStaticRoute(final int vanId, final long mac)
    {
        if (!staticRoutes.removeIf(r -> r.vanId() == vanId && r.mac() == mac))
        {
            throw new IllegalArgumentException("no static route for " + MacAddress.format(mac) + " in VAN " + vanId);
        }
        if (null != edgeBridge)
        {
            edgeBridge.setStaticRoutes(staticRoutes);
            publishTopology();
        }
        persist();
    }

    public List<ControlMessage> sitePeerRows()
    {
        final List<ControlMessage> rows = new ArrayList<>();
        if (null == edgeBridge)
        {
            for (final int peer : sitePeers)
            {
                rows.add(ControlMessage.of("row", "ip", Ipv4Address.format(peer), "resolved", "no underlay"));
            }
            return rows;
        }
        for (final java.util.Map<String, String> row : edgeBridge.peerRows())
        {
            rows.add(new ControlMessage("row", row));
        }
        return rows;
    }

    /** The overlay's duty: announcements and neighbour resolution; republishes what changed. */
    public List<ControlMessage> healthRows(final long nowMs)
    {
        final List<ControlMessage> rows = new ArrayList<>();
        if (null != edgeBridge)
        {
            edgeBridge.healthRows(nowMs).forEach(row -> rows.add(new ControlMessage("row", row)));
        }
        return rows;
    }

    public int tick(final long nowMs)
    {
        final int fastPathWork = reconcileFastPath(nowMs, false);
        if (null == edgeBridge)
        {
            return fastPathWork;
        }
        int work = fastPathWork + edgeBridge.tick(nowMs);
        if (null != siteProxy)
        {
            work += siteProxy.tick(nowMs);
        }
        if (edgeBridge.version() != publishedBridgeVersion)
        {
            publishTopology();
        }
        return work;
    }

    public void onFloodForLocal(final int vanIndex, final long mac, final int edgeIndex)
    {
        final int vanId = vanIdOf(vanIndex);
        if (null != edgeBridge && vanId != 0)
        {
            edgeBridge.onFloodForLocal(vanId, mac, edgeIndex);
        }
    }

    public void onDataNotHere(final int vanIndex, final long mac, final int edgeIndex)
    {
        final int vanId = vanIdOf(vanIndex);
        if (null != edgeBridge && vanId != 0)
        {
            edgeBridge.onDataNotHere(vanId, mac, edgeIndex);
        }
    }

    public void onUnknownVanData(final int vanId, final long mac, final int edgeIndex)
    {
        if (null != edgeBridge)
        {
            edgeBridge.onDataNotHere(vanId, mac, edgeIndex);
        }
    }

    public void onSignal(final int senderIp, final org.agrona.DirectBuffer buffer, final int offset, final int length, final long nowMs)
    {
        if (null != edgeBridge)
        {
            edgeBridge.onSignal(senderIp, buffer, offset, length, nowMs);
        }
    }

    private void closeUnderlay()
    {
        if (null != underlayPort)
        {
            final PortDevice old = underlayPort;
            underlayPort = null;
            edgeBridge = null;
            publishTopology();
            old.close();
        }
    }

    public void addNeighbor(final NeighborSpec spec)
    {
        neighbors.addStatic(spec.ip(), spec.mac(), System.currentTimeMillis());
        neighborsChanged();
        persist();
    }

    public void deleteNeighbor(final int ip)
    {
        if (!neighbors.removeStatic(ip))
        {
            throw new IllegalArgumentException("no static neighbour " + Ipv4Address.format(ip) + ": see 'vanctl neigh show'");
        }
        neighborsChanged();
        persist();
    }

    private void neighborsChanged()
    {
        if (null != edgeBridge)
        {
            edgeBridge.onNeighborsChanged();
        }
    }

    /**
     * Asks the underlay who has {@code ip} (an ARP request from the underlay's PMD); the answer
     * arrives as a neighbour event.
     */
    public void resolveNeighbor(final int ip)
    {
        if (null == underlayPort)
        {
            throw new IllegalArgumentException("no underlay: set it first with 'vanctl underlay set'");
        }
        final int target = Ipv4Address.sameSubnet(ip, underlay.ip(), underlay.prefixLength()) || underlay.gateway() == Ipv4Address.ANY ?
            ip : underlay.gateway();
        final org.agrona.concurrent.UnsafeBuffer frame = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
        final int length = ArpRequestWriter.write(frame, underlayMac, underlay.ip(), target);
        final byte[] bytes = new byte[length];
        frame.getBytes(0, bytes);
        pmds.get(0).transmitOnUnderlay(bytes);
    }

    /** A PMD saw an underlay host in ARP. */
    public void onNeighbor(final int ip, final long mac, final long nowMs)
    {
        if (neighbors.learned(ip, mac, nowMs))
        {
            System.out.println("vanswitch: underlay neighbour " + Ipv4Address.format(ip) + " is " + MacAddress.format(mac));
            neighborsChanged();
        }
    }

    public List<ControlMessage> underlayRows()
    {
        if (null == underlay)
        {
            return List.of();
        }
        final List<String> fields = new ArrayList<>(List.of(
            "devargs", underlay.devargs(),
            "ip", Ipv4Address.format(underlay.ip()) + "/" + underlay.prefixLength(),
            "gateway", underlay.gateway() == Ipv4Address.ANY ? "-" : Ipv4Address.format(underlay.gateway()),
            "mac", underlayMac == MacAddress.NONE ? "-" : MacAddress.format(underlayMac),
            "udp_port", Integer.toString(underlay.udpPort()),
            "mtu", Integer.toString(underlay.mtu()),
            "max_inner_frame", Integer.toString(underlay.maxInnerFrame()),
            "link", null != underlayFailure ? "failed" : (null != underlayPort && underlayPort.isLinkUp() ? "up" : "down")));
        sums.appendUnderlay(fields);
        if (null != edgeBridge)
        {
            edgeBridge.counters().forEach((name, value) ->
            {
                fields.add(name);
                fields.add(Long.toString(value));
            });
        }
        if (null != underlayFailure)
        {
            fields.add("error");
            fields.add(underlayFailure);
        }
        return List.of(ControlMessage.of("row", fields.toArray(String[]::new)));
    }

    public List<ControlMessage> neighborRows(final long nowMs)
    {
        final List<ControlMessage> rows = new ArrayList<>();
        for (final NeighborTable.Entry entry : neighbors.entries())
        {
            rows.add(ControlMessage.of("row",
                "ip", Ipv4Address.format(entry.ip()),
                "mac", MacAddress.format(entry.mac()),
                "type", entry.isStatic() ? "static" : "arp",
                "age_s", Long.toString((nowMs - entry.updatedAtMs()) / 1000)));
        }
        return rows;
    }

    // ---- the site's proxy (docs/federation.md) ----

    public void enableProxy(final io.vanswitch.control.config.ProxySpec spec)
    {
        if (null == underlayPort || null == edgeBridge)
        {
            throw new IllegalArgumentException("set the underlay first ('vanctl underlay set'): a proxy is an edge of its site's overlay");
        }
        if (spec.deviceName().equals(underlay.deviceName()) ||
            ports.values().stream().anyMatch(p -> p.spec.deviceName().equals(spec.deviceName())))
        {
            throw new IllegalArgumentException("device " + spec.deviceName() + " is used by the underlay or a port: the proxy needs a device of its own");
        }
        // a proxy that works is not torn down for files that do not
        final io.vanswitch.control.federation.PemCredentials credentials = SiteProxy.loadCredentials(spec);
        closeProxy();
        proxySpec = spec;
        proxyFailure = null;
        try
        {
            openProxy(credentials);
        }
        catch (final RuntimeException ex)
        {
            proxySpec = null;
            localVansChanged();
            throw ex;
        }
        publishTopology();
        persist();
    }

    public void disableProxy()
    {
        if (null == proxySpec)
        {
            throw new IllegalArgumentException("this switch is not a proxy");
        }
        closeProxy();
        proxySpec = null;
        proxyFailure = null;
        localVansChanged();
        publishTopology();
        persist();
    }

    /** Seconds between data key rotations (the daemon's --proxy-rekey; tests rotate fast). */
    public void proxyRekeyMs(final long intervalMs)
    {
        this.proxyRekeyMs = intervalMs;
        if (null != siteProxy)
        {
            siteProxy.rekeyIntervalMs(intervalMs);
        }
    }

    private void openProxy(final io.vanswitch.control.federation.PemCredentials credentials)
    {
        if (null == edgeBridge)
        {
            throw new IllegalStateException("no underlay: the proxy waits for 'vanctl underlay set'");
        }
        siteProxy = new SiteProxy(proxySpec, credentials, portDriver, pmds, nextGeneration);
        nextGeneration += 2;
        siteProxy.rekeyIntervalMs(proxyRekeyMs);
        applyLinks();
    }

    private void closeProxy()
    {
        if (null == siteProxy)
        {
            return;
        }
        final SiteProxy old = siteProxy;
        siteProxy = null;
        old.close();
        if (null != edgeBridge)
        {
            proxyPeers.forEach(peer -> edgeBridge.removeLink(peer.name()));
        }
        publishTopology();
        old.closePorts();
    }

    /** The peers and mappings as links of the edge bridge (after any change of either, or a new bridge). */
    private void applyLinks()
    {
        if (null == siteProxy || null == edgeBridge)
        {
            return;
        }
        siteProxy.bridge(edgeBridge);
        final Map<String, Integer> numbers = siteProxy.setPeers(proxyPeers);
        for (final io.vanswitch.control.config.ProxyPeerSpec peer : proxyPeers)
        {
            final Map<Integer, Integer> remoteByLocal = new java.util.TreeMap<>();
            proxyMaps.stream().filter(m -> m.peer().equals(peer.name())).forEach(m -> remoteByLocal.put(m.localVan(), m.remoteVan()));
            edgeBridge.setLink(peer.name(), numbers.get(peer.name()), peer.ip(), remoteByLocal);
        }
        localVansChanged();
    }

    public void addProxyPeer(final io.vanswitch.control.config.ProxyPeerSpec spec)
    {
        for (final io.vanswitch.control.config.ProxyPeerSpec peer : proxyPeers)
        {
            if (peer.name().equals(spec.name()) || peer.ip() == spec.ip())
            {
                throw new IllegalArgumentException("peer proxy " + peer.name() + " (" + Ipv4Address.format(peer.ip()) + ") already exists");
            }
        }
        if (null != proxySpec && spec.ip() == proxySpec.publicIp())
        {
            throw new IllegalArgumentException(Ipv4Address.format(spec.ip()) + " is this proxy's own public address");
        }
        if (proxyPeers.size() >= PmdCounters.MAX_LINKS)
        {
            throw new IllegalArgumentException("cannot add peer proxy " + spec.name() + ": at most " + PmdCounters.MAX_LINKS);
        }
        proxyPeers.add(spec);
        applyLinks();
        publishTopology();
        persist();
    }

    public void deleteProxyPeer(final String name)
    {
        if (!proxyPeers.removeIf(peer -> peer.name().equals(name)))
        {
            throw unknownProxyPeer(name);
        }
        proxyMaps.removeIf(m -> m.peer().equals(name));
        if (null != edgeBridge)
        {
            edgeBridge.removeLink(name);
        }
        applyLinks();
        publishTopology();
        persist();
    }

    public void addProxyMap(final io.vanswitch.control.config.ProxyMapSpec map)
    {
        if (proxyPeers.stream().noneMatch(peer -> peer.name().equals(map.peer())))
        {
            throw unknownProxyPeer(map.peer());
        }
        if (!vans.containsKey(map.localVan()))
        {
            throw unknownVan(map.localVan());
        }
        for (final io.vanswitch.control.config.ProxyMapSpec existing : proxyMaps)
        {
            if (existing.peer().equals(map.peer()) && (existing.localVan() == map.localVan() || existing.remoteVan() == map.remoteVan()))
            {
                throw new IllegalArgumentException("peer proxy " + map.peer() + " already maps VAN " + existing.localVan() +
                    " to its VAN " + existing.remoteVan() + ": unmap it first");
            }
        }
        proxyMaps.add(map);
        applyLinks();
        publishTopology();
        persist();
    }

    public void deleteProxyMap(final String peer, final int localVan)
    {
        if (!proxyMaps.removeIf(m -> m.peer().equals(peer) && m.localVan() == localVan))
        {
            throw new IllegalArgumentException("peer proxy " + peer + " does not map VAN " + localVan + ": see 'vanctl proxy show'");
        }
        applyLinks();
        publishTopology();
        persist();
    }

    private static IllegalArgumentException unknownProxyPeer(final String name)
    {
        return new IllegalArgumentException("unknown peer proxy '" + ControlMessage.printable(String.valueOf(name)) +
            "': add it with 'vanctl proxy peer add NAME --address IP[:PORT]'");
    }

    public List<ControlMessage> proxyRows()
    {
        final List<ControlMessage> rows = new ArrayList<>();
        if (null == proxySpec)
        {
            return rows;
        }
        if (null == siteProxy)
        {
            rows.add(ControlMessage.of("row", "kind", "proxy", "name", "-",
                "address", Ipv4Address.format(proxySpec.publicIp()) + "/" + proxySpec.prefixLength() + ":" + proxySpec.port(),
                "state", "failed: " + (null == proxyFailure ? "not open" : proxyFailure)));
        }
        else
        {
            siteProxy.rows(sums).forEach(row -> rows.add(new ControlMessage("row", row)));
        }
        for (final io.vanswitch.control.config.ProxyMapSpec map : proxyMaps)
        {
            rows.add(ControlMessage.of("row", "kind", "map", "name", map.peer(),
                "local_van", Integer.toString(map.localVan()), "remote_van", Integer.toString(map.remoteVan())));
        }
        return rows;
    }

    // ---- publication and persistence ----

    private void publishTopology()
    {
        final List<PortBinding> bindings = new ArrayList<>();
        for (final PortState port : ports.values())
        {
            if (null != port.open)
            {
                bindings.add(new PortBinding(port.slot, port.generation, port.spec.name(), port.open.portId(),
                    vans.get(port.spec.vanId()).index, port.spec.mac(), port.pmdIndex, 0, port.open.rxQueues()));
            }
        }
        UnderlayBinding underlayBinding = null;
        if (null != underlayPort)
        {
            underlayBinding = new UnderlayBinding(
                new PortBinding(PmdCounters.UNDERLAY_SLOT, underlayGeneration, "underlay", underlayPort.portId(), 0,
                    MacAddress.NONE, 0, 0, underlayPort.rxQueues()),
                underlayMac, underlay.ip(), underlay.udpPort());
        }
        io.vanswitch.dataplane.overlay.OverlayTopology overlay = null;
        if (null != edgeBridge && null != underlayBinding)
        {
            final int[] vanIdByIndex = new int[PmdCounters.MAX_VANS];
            vans.values().forEach(v -> vanIdByIndex[v.index] = v.spec.id());
            overlay = edgeBridge.overlayTopology(vanIdByIndex);
            publishedBridgeVersion = edgeBridge.version();
        }
        final ForwardingTopology topology = new ForwardingTopology(
            bindings, underlayBinding, overlay, null == siteProxy ? null : siteProxy.binding());
        final List<CompletableFuture<Void>> acks = new ArrayList<>();
        pmds.forEach(pmd -> acks.add(pmd.installTopology(topology)));
        await(acks, "install the forwarding topology");
        if (null != edgeBridge && null != overlay)
        {
            edgeBridge.installStaticRoutes();
        }
    }

    private static void await(final List<CompletableFuture<Void>> acks, final String what)
    {
        try
        {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(PMD_ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("PMD threads did not " + what + " within " + PMD_ACK_TIMEOUT_MS + " ms: " + ex);
        }
    }

    public SwitchConfig config()
    {
        return new SwitchConfig(
            vans.values().stream().map(v -> v.spec).toList(),
            ports.values().stream().map(p -> p.spec).toList(),
            underlay,
            neighbors.staticEntries().stream().map(e -> new NeighborSpec(e.ip(), e.mac())).toList(),
            sitePeers,
            staticRoutes,
            proxySpec,
            proxyPeers,
            proxyMaps);
    }

    private void persist()
    {
        try
        {
            stateFile.write(config());
        }
        catch (final StateFileException ex)
        {
            throw new IllegalStateException("applied, but not saved: " + ex.getMessage());
        }
    }

    // ---- events from the PMD threads and the devices ----

    /**
     * A PMD learned a MAC: record it and tell the other PMDs, so they forward instead of flooding.
     */
    public void onLearned(final int fromPmd, final int vanIndex, final long mac, final int slot, final int generation, final long nowMs)
    {
        final boolean changed = fdbView.learned(vanIndex, mac, slot, generation, nowMs);
        if (changed && null != edgeBridge)
        {
            final int vanId = vanIdOf(vanIndex);
            if (vanId != 0)
            {
                edgeBridge.onLocalLearn(vanId, mac);
            }
        }
        if (changed && pmds.size() > 1)
        {
            for (int i = 0; i < pmds.size(); i++)
            {
                if (i != fromPmd)
                {
                    pmds.get(i).learnFromPeer(vanIndex, mac, slot, generation);
                }
            }
        }
    }

    /**
     * Polls link state; logs changes.
     *
     * @return the number of ports whose link changed.
     */
    public int pollLinks()
    {
        int changed = 0;
        for (final PortState port : ports.values())
        {
            if (null != port.open)
            {
                final boolean up = port.open.isLinkUp();
                if (up != port.linkUp)
                {
                    port.linkUp = up;
                    port.linkChanges++;
                    changed++;
                    System.out.println("vanswitch: port " + port.spec.name() + " link " + (up ? "up" : "down"));
                }
            }
        }
        return changed;
    }

    public void closeAll()
    {
        closeProxy();
        final List<PortState> open = new ArrayList<>(ports.values());
        ports.clear();
        final PortDevice oldUnderlay = underlayPort;
        underlayPort = null;
        publishTopology();
        for (final PortState port : open)
        {
            detachFastPath(port);
            if (null != port.open)
            {
                port.open.close();
                port.open = null;
            }
        }
        if (null != oldUnderlay)
        {
            oldUnderlay.close();
        }
    }

    // ---- views for the control socket ----

    public List<ControlMessage> vanRows()
    {
        final List<ControlMessage> rows = new ArrayList<>();
        for (final VanState van : vans.values())
        {
            final long portCount = ports.values().stream().filter(p -> p.spec.vanId() == van.spec.id()).count();
            rows.add(ControlMessage.of("row",
                "id", Integer.toString(van.spec.id()),
                "name", null == van.spec.name() ? "" : van.spec.name(),
                "ports", Long.toString(portCount)));
        }
        return rows;
    }

    public List<ControlMessage> portRows()
    {
        final List<ControlMessage> rows = new ArrayList<>();
        for (final PortState port : ports.values())
        {
            long drops = 0;
            for (final DropReason reason : DropReason.values())
            {
                drops += sumPort(port.slot, PmdCounters.PORT_DROPS_BASE + reason.ordinal());
            }
            rows.add(ControlMessage.of("row",
                "name", port.spec.name(),
                "van", Integer.toString(port.spec.vanId()),
                "type", port.spec.type().label() + (port.spec.client() ? "-client" : ""),
                "target", port.spec.target(),
                "link", linkState(port),
                "mac", port.spec.mac() == MacAddress.NONE ? "-" : MacAddress.format(port.spec.mac()),
                "rx_packets", Long.toString(live(port) ? sumPort(port.slot, PmdCounters.PORT_RX_PACKETS) : 0),
                "tx_packets", Long.toString(live(port) ? sumPort(port.slot, PmdCounters.PORT_TX_PACKETS) : 0),
                "drops", Long.toString(live(port) ? drops : 0),
                "pmd", Integer.toString(port.pmdIndex),
                "error", null == port.failure ? null : port.failure));
        }
        return rows;
    }

    public List<ControlMessage> fdbRows(final Integer vanFilter, final long nowMs)
    {
        if (null != vanFilter && !vans.containsKey(vanFilter))
        {
            throw unknownVan(vanFilter);
        }
        final Map<Integer, Integer> vanIdByIndex = new LinkedHashMap<>();
        vans.values().forEach(v -> vanIdByIndex.put(v.index, v.spec.id()));
        final Map<Integer, String> portBySlot = new LinkedHashMap<>();
        ports.values().forEach(p -> portBySlot.put(p.slot, p.spec.name()));

        final List<ControlMessage> rows = new ArrayList<>();
        for (final FdbView.Entry entry : fdbView.entries())
        {
            final Integer vanId = vanIdByIndex.get(entry.vanIndex());
            final String port = portBySlot.get(entry.slot());
            if (null == vanId || null == port || (null != vanFilter && !vanFilter.equals(vanId)))
            {
                continue;
            }
            rows.add(ControlMessage.of("row",
                "van", Integer.toString(vanId),
                "mac", MacAddress.format(entry.mac()),
                "port", port,
                "type", "local",
                "peer", "-",
                "seq", "-",
                "age_s", Long.toString((nowMs - entry.learnedAtMs()) / 1000),
                "hits", "-"));
        }
        for (final io.vanswitch.control.config.StaticRouteSpec route : staticRoutes)
        {
            if (null == vanFilter || vanFilter == route.vanId())
            {
                rows.add(ControlMessage.of("row",
                    "van", Integer.toString(route.vanId()),
                    "mac", MacAddress.format(route.mac()),
                    "port", "-",
                    "type", "static",
                    "peer", Ipv4Address.format(route.peer()),
                    "seq", "-",
                    "age_s", "-",
                    "hits", "-"));
            }
        }
        if (null != edgeBridge)
        {
            final org.agrona.collections.Long2LongHashMap hits = new org.agrona.collections.Long2LongHashMap(0);
            for (final PmdProxy pmd : pmds)
            {
                try
                {
                    final org.agrona.collections.Long2LongHashMap fromPmd = pmd.remoteHits().get(PMD_ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    final org.agrona.collections.Long2LongHashMap.KeyIterator keys = fromPmd.keySet().iterator();
                    while (keys.hasNext())
                    {
                        final long key = keys.nextValue();
                        final long sum = hits.get(key) + fromPmd.get(key);
                        if (sum != 0) // 0 is this map's missing value: a route that carried nothing stays out
                        {
                            hits.put(key, sum);
                        }
                    }
                }
                catch (final Exception ex)
                {
                    // hit counts are informational: show what the other PMDs reported
                }
            }
            for (final io.vanswitch.control.overlay.RemoteRoutes.Entry route : edgeBridge.routes(nowMs))
            {
                if (null != vanFilter && vanFilter != route.van())
                {
                    continue;
                }
                rows.add(ControlMessage.of("row",
                    "van", Integer.toString(route.van()),
                    "mac", MacAddress.format(route.mac()),
                    "port", "-",
                    "type", "remote",
                    "peer", edgeBridge.hostLabel(route.host()),
                    "seq", Integer.toUnsignedString(route.sequence()),
                    "age_s", Long.toString(route.ageMs() / 1000),
                    "hits", Long.toString(hits.get(LocalFdb.key(vanIndexOf(route.van()), route.mac())))));
            }
        }
        return rows;
    }

    public List<ControlMessage> statsRows()
    {
        final List<ControlMessage> rows = new ArrayList<>();
        for (final PortState port : ports.values())
        {
            final List<String> fields = new ArrayList<>(List.of(
                "kind", "port",
                "name", port.spec.name(),
                "van", Integer.toString(port.spec.vanId()),
                "rx_packets", count(port, PmdCounters.PORT_RX_PACKETS),
                "rx_bytes", count(port, PmdCounters.PORT_RX_BYTES),
                "tx_packets", count(port, PmdCounters.PORT_TX_PACKETS),
                "tx_bytes", count(port, PmdCounters.PORT_TX_BYTES)));
            for (final DropReason reason : DropReason.values())
            {
                fields.add("drop_" + reason.label());
                fields.add(count(port, PmdCounters.PORT_DROPS_BASE + reason.ordinal()));
            }
            fields.add("rx_missed");
            fields.add(Long.toString(null == port.open ? 0 : port.open.rxMissed()));
            if (null != kernelFastPath && port.spec.type() == PortType.VETH)
            {
                final String device = port.spec.vethSwitchSide();
                final String failure = kernelFastPath.failure(device);
                final long[] forwarded = kernelFastPath.forwarded(device);
                fields.addAll(List.of(
                    "kernel_fast_path", !kernelFastPath.isAttached(device) ? "off" : null == failure ? "on" : "off: " + failure,
                    "kernel_flows", Integer.toString(kernelFastPath.flowCount(device)),
                    "kernel_forwarded_packets", Long.toString(forwarded[0]),
                    "kernel_forwarded_bytes", Long.toString(forwarded[1])));
            }
            rows.add(ControlMessage.of("row", fields.toArray(String[]::new)));
        }
        for (final VanState van : vans.values())
        {
            rows.add(ControlMessage.of("row",
                "kind", "van",
                "id", Integer.toString(van.spec.id()),
                "rx_packets", Long.toString(sumVan(van.index, PmdCounters.VAN_RX_PACKETS)),
                "rx_bytes", Long.toString(sumVan(van.index, PmdCounters.VAN_RX_BYTES)),
                "unicast", Long.toString(sumVan(van.index, PmdCounters.VAN_UNICAST)),
                "flooded", Long.toString(sumVan(van.index, PmdCounters.VAN_FLOODED)),
                "dropped", Long.toString(sumVan(van.index, PmdCounters.VAN_DROPPED)),
                "learned", Long.toString(sumVan(van.index, PmdCounters.VAN_LEARNED)),
                "encapsulated", Long.toString(sumVan(van.index, PmdCounters.VAN_ENCAPSULATED)),
                "decapsulated", Long.toString(sumVan(van.index, PmdCounters.VAN_DECAPSULATED)),
                "arp_proxied", Long.toString(sumVan(van.index, PmdCounters.VAN_ARP_PROXIED)),
                "learn_sent", vanSignal(van.spec.id(), EdgeBridge.VAN_LEARN_SENT),
                "learn_received", vanSignal(van.spec.id(), EdgeBridge.VAN_LEARN_RECEIVED),
                "unlearn_sent", vanSignal(van.spec.id(), EdgeBridge.VAN_UNLEARN_SENT),
                "unlearn_received", vanSignal(van.spec.id(), EdgeBridge.VAN_UNLEARN_RECEIVED)));
        }
        for (final PmdProxy pmd : pmds)
        {
            final PmdCounters c = pmd.agent().counters();
            final long busy = c.pmd(PmdCounters.POLLS_BUSY);
            final long idle = c.pmd(PmdCounters.POLLS_IDLE);
            rows.add(ControlMessage.of("row",
                "kind", "pmd",
                "index", Integer.toString(pmd.agent().index()),
                "cpu", Integer.toString(pmd.agent().cpu()),
                "ports", Long.toString(ports.values().stream().filter(p -> p.pmdIndex == pmd.agent().index()).count()),
                "busy_polls", Long.toString(busy),
                "idle_polls", Long.toString(idle),
                "busy_pct", String.format(Locale.ROOT, "%.1f", busy + idle == 0 ? 0.0 : 100.0 * busy / (busy + idle)),
                "rx_packets", Long.toString(c.pmd(PmdCounters.PMD_RX_PACKETS)),
                "tx_packets", Long.toString(c.pmd(PmdCounters.PMD_TX_PACKETS)),
                "processing_ns", Long.toString(c.pmd(PmdCounters.PROCESSING_NANOS)),
                "ns_per_packet", String.format(Locale.ROOT, "%.1f", c.pmd(PmdCounters.PMD_RX_PACKETS) == 0 ? 0.0 :
                    (double)c.pmd(PmdCounters.PROCESSING_NANOS) / c.pmd(PmdCounters.PMD_RX_PACKETS)),
                "rx_sampled_ns", Long.toString(c.pmd(PmdCounters.RX_SAMPLED_NANOS)),
                "rx_sampled_packets", Long.toString(c.pmd(PmdCounters.RX_SAMPLED_PACKETS)),
                "rx_ns_per_packet", String.format(Locale.ROOT, "%.1f", c.pmd(PmdCounters.RX_SAMPLED_PACKETS) == 0 ? 0.0 :
                    (double)c.pmd(PmdCounters.RX_SAMPLED_NANOS) / c.pmd(PmdCounters.RX_SAMPLED_PACKETS)),
                "allocated_bytes", Long.toString(allocatedBytes(pmd.agent().threadId())),
                "learn_events_lost", Long.toString(c.pmd(PmdCounters.LEARN_EVENTS_LOST)),
                "command_offers_failed", Long.toString(pmd.failedOffers())));
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (final java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans())
        {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        final java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        rows.add(ControlMessage.of("row",
            "kind", "jvm",
            "gc_count", Long.toString(gcCount),
            "gc_time_ms", Long.toString(gcMillis),
            "heap_used_mb", Long.toString(heap.getUsed() >> 20),
            "heap_max_mb", Long.toString(heap.getMax() >> 20)));
        return rows;
    }

    /** Bytes the thread allocated on the Java heap since it started: no growth while forwarding. */
    private static long allocatedBytes(final long threadId)
    {
        if (threadId < 0 || !(java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads))
        {
            return -1;
        }
        return threads.getThreadAllocatedBytes(threadId);
    }

    /**
     * vhost-user: whether a VM is connected. TAP: the PMD reads the kernel interface's flags by
     * name, which fails once the interface is moved to another namespace, so "down" is not known.
     */
    private static String linkState(final PortState port)
    {
        if (null != port.failure)
        {
            return "failed";
        }
        if (port.linkUp)
        {
            return "up";
        }
        return port.spec.type() == PortType.TAP ? "unknown" : "down";
    }

    private String vanSignal(final int vanId, final int counter)
    {
        return Long.toString(null == edgeBridge ? 0 : edgeBridge.vanSignals(vanId)[counter]);
    }

    private static boolean live(final PortState port)
    {
        return null != port.open;
    }

    private String count(final PortState port, final int counter)
    {
        return Long.toString(live(port) ? sumPort(port.slot, counter) : 0);
    }

    private long sumPort(final int slot, final int counter)
    {
        return sums.port(slot, counter);
    }

    private long sumVan(final int vanIndex, final int counter)
    {
        return sums.van(vanIndex, counter);
    }

    int fdbViewSize()
    {
        return fdbView.size();
    }

    private static final class VanState
    {
        final VanSpec spec;
        final int index;

        VanState(final VanSpec spec, final int index)
        {
            this.spec = spec;
            this.index = index;
        }
    }

    private static final class PortState
    {
        final PortSpec spec;
        final int slot;
        final int generation;
        final int pmdIndex;
        PortDevice open;
        String failure;
        boolean linkUp;
        long linkChanges;

        PortState(final PortSpec spec, final int slot, final int generation, final int pmdIndex)
        {
            this.spec = spec;
            this.slot = slot;
            this.generation = generation;
            this.pmdIndex = pmdIndex;
        }
    }
}
