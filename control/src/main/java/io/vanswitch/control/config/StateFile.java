package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.control.protocol.ProtocolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration in the state directory: one control request per line ({@code van-add},
 * {@code port-add}), replayed at start. Written whole to a temporary file, synced, then renamed over
 * the old one, so a crash leaves either the old or the new file, never half of one. A file that does
 * not parse is reported with its line and never overwritten.
 */
public final class StateFile
{
    public static final String FILE_NAME = "vanswitch.state";
    private static final String HEADER = "# vanswitch state v1: one control request per line, replayed at start. Edit with vanctl, not by hand.";

    private final Path path;

    public StateFile(final Path stateDir)
    {
        this.path = stateDir.resolve(FILE_NAME);
    }

    public Path path()
    {
        return path;
    }

    /**
     * @return the stored configuration, or an empty one when there is no file yet.
     * @throws StateFileException naming the file and line when it is unreadable or inconsistent.
     */
    public SwitchConfig read()
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            return SwitchConfig.EMPTY;
        }
        catch (final IOException ex)
        {
            throw new StateFileException("cannot read state file " + path + ": " + ex.getMessage());
        }

        UnderlaySpec underlay = null;
        final List<NeighborSpec> neighbors = new ArrayList<>();
        final List<Integer> sitePeers = new ArrayList<>();
        final List<StaticRouteSpec> staticRoutes = new ArrayList<>();
        ProxySpec proxy = null;
        final List<ProxyPeerSpec> proxyPeers = new ArrayList<>();
        final List<ProxyMapSpec> proxyMaps = new ArrayList<>();
        final List<VanSpec> vans = new ArrayList<>();
        final List<PortSpec> ports = new ArrayList<>();
        final List<Integer> vanLines = new ArrayList<>();
        final List<Integer> portLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#"))
            {
                continue;
            }
            try
            {
                final ControlMessage request = ControlMessage.decode(line);
                switch (request.word())
                {
                    case "van-add" ->
                    {
                        vans.add(VanSpec.fromRequest(request));
                        vanLines.add(i + 1);
                    }
                    case "port-add" ->
                    {
                        ports.add(PortSpec.fromRequest(request));
                        portLines.add(i + 1);
                    }
                    case "underlay-set" ->
                    {
                        if (null != underlay)
                        {
                            throw new IllegalArgumentException("underlay set twice");
                        }
                        underlay = UnderlaySpec.fromRequest(request);
                    }
                    case "neigh-add" -> neighbors.add(NeighborSpec.fromRequest(request));
                    case "site-peer-add" -> sitePeers.add(SitePeers.parse(request.get("ip")));
                    case "fdb-add" -> staticRoutes.add(StaticRouteSpec.fromRequest(request));
                    case "proxy-enable" ->
                    {
                        if (null != proxy)
                        {
                            throw new IllegalArgumentException("proxy enabled twice");
                        }
                        proxy = ProxySpec.fromRequest(request);
                    }
                    case "proxy-peer-add" -> proxyPeers.add(ProxyPeerSpec.fromRequest(request));
                    case "proxy-map" -> proxyMaps.add(ProxyMapSpec.fromRequest(request));
                    default -> throw new IllegalArgumentException("unknown entry '" + request.word() + "'");
                }
            }
            catch (final ProtocolException | IllegalArgumentException ex)
            {
                throw corrupt("line " + (i + 1) + ": " + ex.getMessage());
            }
        }
        try
        {
            return new SwitchConfig(vans, ports, underlay, neighbors, sitePeers, staticRoutes, proxy, proxyPeers, proxyMaps);
        }
        catch (final IllegalArgumentException ex)
        {
            final int line = firstInconsistentLine(vans, vanLines, ports, portLines);
            throw corrupt((line > 0 ? "line " + line + ": " : "") + ex.getMessage());
        }
    }

    /** The line of the first entry that makes the configuration inconsistent: rebuilt entry by entry, on this error path only. */
    private static int firstInconsistentLine(
        final List<VanSpec> vans, final List<Integer> vanLines, final List<PortSpec> ports, final List<Integer> portLines)
    {
        for (int i = 1; i <= vans.size(); i++)
        {
            try
            {
                new SwitchConfig(vans.subList(0, i), List.of());
            }
            catch (final IllegalArgumentException ex)
            {
                return vanLines.get(i - 1);
            }
        }
        for (int i = 1; i <= ports.size(); i++)
        {
            try
            {
                new SwitchConfig(vans, ports.subList(0, i));
            }
            catch (final IllegalArgumentException ex)
            {
                return portLines.get(i - 1);
            }
        }
        return 0;
    }

    private StateFileException corrupt(final String detail)
    {
        return new StateFileException("state file " + path + " is corrupt: " + detail +
            "; fix or move it away (vanswitch will not overwrite it)");
    }

    public void write(final SwitchConfig config)
    {
        final StringBuilder text = new StringBuilder(HEADER).append('\n');
        if (null != config.underlay())
        {
            text.append(config.underlay().toRequest().encode()).append('\n');
        }
        config.neighbors().forEach(neighbor -> text.append(neighbor.toRequest().encode()).append('\n'));
        config.sitePeers().forEach(peer -> text.append(SitePeers.toRequest(peer).encode()).append('\n'));
        config.staticRoutes().forEach(route -> text.append(route.toRequest().encode()).append('\n'));
        config.vans().forEach(van -> text.append(van.toRequest().encode()).append('\n'));
        config.ports().forEach(port -> text.append(port.toRequest().encode()).append('\n'));
        if (null != config.proxy())
        {
            text.append(config.proxy().toRequest().encode()).append('\n');
        }
        config.proxyPeers().forEach(peer -> text.append(peer.toRequest().encode()).append('\n'));
        config.proxyMaps().forEach(map -> text.append(map.toRequest().encode()).append('\n'));

        final Path temporary = path.resolveSibling(FILE_NAME + ".tmp");
        try
        {
            Files.createDirectories(path.getParent());
            try (FileChannel channel = FileChannel.open(temporary,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining())
                {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new StateFileException("cannot write state file " + path + ": " + ex.getMessage());
        }
    }
}
