package io.vanswitch.control.daemon;

import io.vanswitch.control.config.NeighborSpec;
import io.vanswitch.control.config.PortSpec;
import io.vanswitch.control.config.UnderlaySpec;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.control.config.VanSpec;
import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.control.protocol.ProtocolException;
import io.vanswitch.dataplane.dpdk.DpdkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Turns a request line from the control socket into conductor calls and a reply (rows, then
 * {@code ok} or {@code error}). Every failure becomes an error reply; nothing a client sends can
 * throw out of here. The commands are listed in docs/control-protocol.md.
 */
public final class ControlCommands
{
    private static final Set<String> MUTATING = Set.of("van-add", "van-del", "port-add", "port-del", "underlay-set", "neigh-add", "neigh-del", "site-peer-add", "site-peer-del", "fdb-add", "fdb-del",
        "proxy-enable", "proxy-disable", "proxy-peer-add", "proxy-peer-del", "proxy-map", "proxy-unmap");

    private final SwitchConductor conductor;
    private final LongSupplier clockMs;

    public ControlCommands(final SwitchConductor conductor, final LongSupplier clockMs)
    {
        this.conductor = conductor;
        this.clockMs = clockMs;
    }

    public List<ControlMessage> handle(final String line)
    {
        final ControlMessage request;
        try
        {
            request = ControlMessage.decode(line);
        }
        catch (final ProtocolException ex)
        {
            return List.of(error(ex.getMessage()));
        }

        try
        {
            final List<ControlMessage> rows = dispatch(request);
            final List<ControlMessage> reply = new ArrayList<>(rows);
            reply.add(ControlMessage.of("ok"));
            if (MUTATING.contains(request.word()))
            {
                System.out.println("vanswitch: " + request.encode());
            }
            return reply;
        }
        catch (final IllegalArgumentException | IllegalStateException | DpdkException ex)
        {
            return List.of(error(ex.getMessage()));
        }
        catch (final RuntimeException ex)
        {
            ex.printStackTrace();
            return List.of(error("internal error handling '" + request.word() + "': " + ex));
        }
    }

    private List<ControlMessage> dispatch(final ControlMessage request)
    {
        switch (request.word())
        {
            case "van-add" ->
            {
                conductor.addVan(VanSpec.fromRequest(request));
                return List.of();
            }
            case "van-del" ->
            {
                conductor.deleteVan(VanSpec.parseId(request.get("id")));
                return List.of();
            }
            case "van-list" ->
            {
                return conductor.vanRows();
            }
            case "port-add" ->
            {
                conductor.addPort(PortSpec.fromRequest(request));
                return List.of();
            }
            case "port-del" ->
            {
                final String name = request.get("name");
                if (null == name)
                {
                    throw new IllegalArgumentException("missing port name");
                }
                conductor.deletePort(name);
                return List.of();
            }
            case "port-list" ->
            {
                return conductor.portRows();
            }
            case "fdb-show" ->
            {
                final String van = request.get("van");
                return conductor.fdbRows(null == van ? null : VanSpec.parseId(van), clockMs.getAsLong());
            }
            case "stats" ->
            {
                return conductor.statsRows();
            }
            case "underlay-set" ->
            {
                conductor.setUnderlay(UnderlaySpec.fromRequest(request));
                return List.of();
            }
            case "underlay-show" ->
            {
                return conductor.underlayRows();
            }
            case "neigh-add" ->
            {
                conductor.addNeighbor(NeighborSpec.fromRequest(request));
                return List.of();
            }
            case "neigh-del" ->
            {
                final String ip = request.get("ip");
                if (null == ip)
                {
                    throw new IllegalArgumentException("missing neighbour IP");
                }
                conductor.deleteNeighbor(Ipv4Address.parse(ip));
                return List.of();
            }
            case "neigh-resolve" ->
            {
                final String ip = request.get("ip");
                if (null == ip)
                {
                    throw new IllegalArgumentException("missing neighbour IP");
                }
                conductor.resolveNeighbor(Ipv4Address.parse(ip));
                return List.of();
            }
            case "neigh-show" ->
            {
                return conductor.neighborRows(clockMs.getAsLong());
            }
            case "site-peer-add" ->
            {
                conductor.addSitePeer(io.vanswitch.control.config.SitePeers.parse(request.get("ip")));
                return List.of();
            }
            case "site-peer-del" ->
            {
                conductor.deleteSitePeer(io.vanswitch.control.config.SitePeers.parse(request.get("ip")));
                return List.of();
            }
            case "fdb-add" ->
            {
                conductor.addStaticRoute(io.vanswitch.control.config.StaticRouteSpec.fromRequest(request));
                return List.of();
            }
            case "fdb-del" ->
            {
                final String mac = request.get("mac");
                if (null == mac)
                {
                    throw new IllegalArgumentException("missing MAC");
                }
                conductor.deleteStaticRoute(VanSpec.parseId(request.get("van")), io.vanswitch.dataplane.frame.MacAddress.parse(mac));
                return List.of();
            }
            case "health-show" ->
            {
                return conductor.healthRows(clockMs.getAsLong());
            }
            case "site-peer-list" ->
            {
                return conductor.sitePeerRows();
            }
            case "proxy-enable" ->
            {
                conductor.enableProxy(io.vanswitch.control.config.ProxySpec.fromRequest(request));
                return List.of();
            }
            case "proxy-disable" ->
            {
                conductor.disableProxy();
                return List.of();
            }
            case "proxy-peer-add" ->
            {
                conductor.addProxyPeer(io.vanswitch.control.config.ProxyPeerSpec.fromRequest(request));
                return List.of();
            }
            case "proxy-peer-del" ->
            {
                conductor.deleteProxyPeer(request.get("name"));
                return List.of();
            }
            case "proxy-map" ->
            {
                conductor.addProxyMap(io.vanswitch.control.config.ProxyMapSpec.fromRequest(request));
                return List.of();
            }
            case "proxy-unmap" ->
            {
                conductor.deleteProxyMap(request.get("name"), VanSpec.parseId(request.get("local-van")));
                return List.of();
            }
            case "proxy-show" ->
            {
                return conductor.proxyRows();
            }
            case "ping" ->
            {
                return List.of(ControlMessage.of("row", "status", "running"));
            }
            default -> throw new IllegalArgumentException("unknown command '" + ControlMessage.printable(request.word()) +
                "': expected van-add, van-del, van-list, port-add, port-del, port-list, fdb-show, stats, " +
                "underlay-set, underlay-show, neigh-add, neigh-del, neigh-resolve, neigh-show, site-peer-add, site-peer-del, " +
                "site-peer-list, health-show, fdb-add, fdb-del, proxy-enable, proxy-disable, proxy-peer-add, proxy-peer-del, " +
                "proxy-map, proxy-unmap, proxy-show or ping");
        }
    }

    private static ControlMessage error(final String message)
    {
        return ControlMessage.of("error", "message", null == message ? "unknown error" : message.replace('\n', ' '));
    }
}
