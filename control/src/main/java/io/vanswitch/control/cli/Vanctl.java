package io.vanswitch.control.cli;

import io.vanswitch.control.config.NeighborSpec;
import io.vanswitch.control.config.PortSpec;
import io.vanswitch.control.config.UnderlaySpec;
import io.vanswitch.dataplane.frame.Ipv4Address;
import io.vanswitch.control.config.PortType;
import io.vanswitch.control.config.VanSpec;
import io.vanswitch.control.protocol.ControlClient;
import io.vanswitch.control.protocol.ControlException;
import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.MacAddress;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vanctl}: the operator's command line, talking to the daemon over its control socket.
 * Every error is one line on stderr and a non-zero exit: 1 when the request failed, 2 for usage.
 */
@Command(name = "vanctl", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "vanctl 0.1",
    description = "Control a running vanswitch: VANs, ports, forwarding table, statistics.",
    subcommands = {Vanctl.Van.class, Vanctl.Port.class, Vanctl.Fdb.class, Vanctl.Stats.class, Vanctl.Underlay.class,
        Vanctl.Neigh.class, Vanctl.Site.class, Vanctl.Health.class, Vanctl.Proxy.class, Vanctl.Completion.class})
public final class Vanctl
{
    static final String SOCKET_ENV = "VANSWITCH_SOCKET";

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final CommandLine commandLine = new CommandLine(new Vanctl());
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((ex, a) ->
        {
            err.println("vanctl: " + ex.getMessage().replace('\n', ' ').strip() +
                " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((ex, cl, parsed) ->
        {
            err.println("vanctl: " + (ex instanceof ControlException || ex instanceof IllegalArgumentException ?
                ex.getMessage() : ex.toString()).replace('\n', ' '));
            return 1;
        });
        return commandLine.execute(args);
    }

    @Option(names = "--socket", scope = ScopeType.INHERIT, paramLabel = "PATH",
        description = "Control socket of the daemon (default: $" + SOCKET_ENV + " or /run/vanswitch/vanswitch.sock).")
    Path socket;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
        description = "Output format: table or json (default: table).")
    OutputFormat output = OutputFormat.table;

    Path socketPath()
    {
        if (null != socket)
        {
            return socket;
        }
        final String env = System.getenv(SOCKET_ENV);
        return Path.of(null == env || env.isEmpty() ? "/run/vanswitch/vanswitch.sock" : env);
    }

    /** Sends one request for the command {@code spec}; prints the reply rows when asked. */
    static int request(final CommandLine.Model.CommandSpec spec, final ControlMessage request, final boolean printRows,
        final String... kinds)
    {
        final Vanctl root = (Vanctl)spec.root().userObject();
        try (ControlClient client = ControlClient.connect(root.socketPath()))
        {
            final List<ControlMessage> rows = client.call(request);
            if (printRows)
            {
                root.output.print(rows, spec.commandLine().getOut(), kinds);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "van", description = "Add, delete and list VANs.",
        subcommands = {Van.Add.class, Van.Del.class, Van.List.class})
    static final class Van
    {
        @Command(name = "add", description = "Create a VAN.")
        static final class Add implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "ID", description = "VAN id, 1..16777215.")
            int id;
            @Option(names = "--name", description = "A name for operators.")
            String name;

            public Integer call()
            {
                return request(spec, new VanSpec(id, name).toRequest(), false);
            }
        }

        @Command(name = "del", description = "Delete a VAN (it must have no ports).")
        static final class Del implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "ID")
            int id;

            public Integer call()
            {
                return request(spec, ControlMessage.of("van-del", "id", Integer.toString(VanSpec.checkId(id))), false);
            }
        }

        @Command(name = "list", description = "List VANs.")
        static final class List implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;

            public Integer call()
            {
                return request(spec, ControlMessage.of("van-list"), true);
            }
        }
    }

    @Command(name = "port", description = "Add, delete and list ports.",
        subcommands = {Port.Add.class, Port.Del.class, Port.List.class})
    static final class Port
    {
        @Command(name = "add", description = "Attach a port to a VAN.")
        static final class Add implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "NAME", description = "Port name (letters, digits, _ . -).")
            String name;
            @Option(names = "--van", required = true, paramLabel = "ID", description = "The VAN the port is bound to.")
            int van;
            @ArgGroup(exclusive = true, multiplicity = "1")
            Kind kind;
            @Option(names = "--client", description = "vhost-user client mode: the switch connects (and reconnects) to the VM's socket.")
            boolean client;
            @Option(names = "--mac", description = "Assigned MAC: frames from the port with another source MAC are dropped.")
            String mac;

            static final class Kind
            {
                @Option(names = "--vhost-user", paramLabel = "PATH", description = "vhost-user socket for a VM.")
                Path vhostUser;
                @Option(names = "--tap", paramLabel = "IFNAME", description = "Kernel TAP interface to create.")
                String tap;
                @Option(names = "--veth", paramLabel = "IFNAME",
                    description = "Kernel veth pair to create: IFNAME is the endpoint's side (move it into a namespace); " +
                        "the switch reads the other through AF_PACKET. Faster than a TAP for TCP.")
                String veth;
                @Option(names = "--devargs", paramLabel = "STR", description = "Any DPDK device, e.g. net_null0 or net_af_packet0,iface=eth1.")
                String devargs;
            }

            public Integer call()
            {
                final PortType type = null != kind.vhostUser ? PortType.VHOST_USER : null != kind.tap ? PortType.TAP :
                    null != kind.veth ? PortType.VETH : PortType.DEVARGS;
                final String target = switch (type)
                {
                    case VHOST_USER -> kind.vhostUser.toAbsolutePath().normalize().toString();
                    case TAP -> kind.tap;
                    case VETH -> kind.veth;
                    case DEVARGS -> kind.devargs;
                };
                final PortSpec port = new PortSpec(name, van, type, target, client,
                    null == mac ? MacAddress.NONE : MacAddress.parse(mac));
                return request(spec, port.toRequest(), false);
            }
        }

        @Command(name = "del", description = "Detach and delete a port.")
        static final class Del implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "NAME")
            String name;

            public Integer call()
            {
                return request(spec, ControlMessage.of("port-del", "name", name), false);
            }
        }

        @Command(name = "list", description = "List ports: VAN, type, link state, packets, drops.")
        static final class List implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;

            public Integer call()
            {
                return request(spec, ControlMessage.of("port-list"), true);
            }
        }
    }

    @Command(name = "fdb", description = "Forwarding table.", subcommands = {Fdb.Show.class, Fdb.Add.class, Fdb.Del.class})
    static final class Fdb
    {
        @Command(name = "add", description = "Add a static remote route: MAC of VAN ID lives behind site peer IP.")
        static final class Add implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--van", required = true, paramLabel = "ID")
            int van;
            @Option(names = "--mac", required = true, paramLabel = "MAC")
            String mac;
            @Option(names = "--peer", required = true, paramLabel = "IP", description = "A site peer's underlay address.")
            String peer;

            public Integer call()
            {
                return request(spec, new io.vanswitch.control.config.StaticRouteSpec(van, MacAddress.parse(mac), Ipv4Address.parse(peer))
                    .toRequest(), false);
            }
        }

        @Command(name = "del", description = "Delete a static remote route.")
        static final class Del implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--van", required = true, paramLabel = "ID")
            int van;
            @Option(names = "--mac", required = true, paramLabel = "MAC")
            String mac;

            public Integer call()
            {
                return request(spec, ControlMessage.of("fdb-del", "van", Integer.toString(van), "mac",
                    MacAddress.format(MacAddress.parse(mac))), false);
            }
        }

        @Command(name = "show", description = "Show learned MAC addresses.")
        static final class Show implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--van", paramLabel = "ID", description = "Only this VAN.")
            Integer van;

            public Integer call()
            {
                return request(spec, ControlMessage.of("fdb-show", "van", null == van ? null : Integer.toString(van)), true);
            }
        }
    }

    @Command(name = "stats", description = "Counters per port, per VAN and per PMD thread.")
    static final class Stats implements Callable<Integer>
    {
        @Spec
        CommandLine.Model.CommandSpec spec;

        public Integer call()
        {
            return request(spec, ControlMessage.of("stats"), true, "port", "van", "pmd", "jvm");
        }
    }

    @Command(name = "underlay", description = "The host's underlay NIC and address (the overlay between hosts).",
        subcommands = {Underlay.Set.class, Underlay.Show.class})
    static final class Underlay
    {
        @Command(name = "set", description = "Give the switch its underlay device and address (replaces the old one).")
        static final class Set implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--devargs", required = true, paramLabel = "STR",
                description = "The underlay DPDK device, e.g. net_af_packet0,iface=eth1 or a PCI address.")
            String devargs;
            @Option(names = "--ip", required = true, paramLabel = "A.B.C.D/NN", description = "This host's underlay address.")
            String ip;
            @Option(names = "--gateway", paramLabel = "IP", description = "Next hop for peers outside the subnet.")
            String gateway;
            @Option(names = "--udp-port", paramLabel = "N", description = "Overlay UDP port (default 4797).")
            Integer udpPort;
            @Option(names = "--mtu", paramLabel = "N", description = "Underlay MTU (default 1500; 40 bytes go to the encapsulation).")
            Integer mtu;
            @Option(names = "--mac", paramLabel = "MAC", description = "Give the underlay device this MAC (default: its own).")
            String mac;

            public Integer call()
            {
                final UnderlaySpec underlay = UnderlaySpec.fromRequest(ControlMessage.of("underlay-set",
                    "devargs", devargs, "ip", ip, "gateway", gateway,
                    "udp-port", null == udpPort ? null : udpPort.toString(), "mtu", null == mtu ? null : mtu.toString(), "mac", mac));
                return request(spec, underlay.toRequest(), false);
            }
        }

        @Command(name = "show", description = "Show the underlay and what it received, by kind.")
        static final class Show implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;

            public Integer call()
            {
                return request(spec, ControlMessage.of("underlay-show"), true);
            }
        }
    }

    @Command(name = "neigh", description = "Underlay neighbours: peer hosts' MACs (ARP, or static overrides).",
        subcommands = {Neigh.Add.class, Neigh.Del.class, Neigh.Resolve.class, Neigh.Show.class})
    static final class Neigh
    {
        @Command(name = "add", description = "Add a static neighbour (ARP does not override it).")
        static final class Add implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(index = "0", paramLabel = "IP")
            String ip;
            @Parameters(index = "1", paramLabel = "MAC")
            String mac;

            public Integer call()
            {
                final NeighborSpec neighbor = new NeighborSpec(Ipv4Address.parse(ip), MacAddress.parse(mac));
                return request(spec, neighbor.toRequest(), false);
            }
        }

        @Command(name = "del", description = "Delete a static neighbour.")
        static final class Del implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "IP")
            String ip;

            public Integer call()
            {
                return request(spec, ControlMessage.of("neigh-del", "ip", Ipv4Address.format(Ipv4Address.parse(ip))), false);
            }
        }

        @Command(name = "resolve", description = "Send an ARP request for IP on the underlay (via the gateway when off-subnet).")
        static final class Resolve implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "IP")
            String ip;

            public Integer call()
            {
                return request(spec, ControlMessage.of("neigh-resolve", "ip", Ipv4Address.format(Ipv4Address.parse(ip))), false);
            }
        }

        @Command(name = "show", description = "List underlay neighbours.")
        static final class Show implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;

            public Integer call()
            {
                return request(spec, ControlMessage.of("neigh-show"), true);
            }
        }
    }

    @Command(name = "site", description = "The site: peer hosts that get this host's VAN announcements.",
        subcommands = {Site.Peer.class})
    static final class Site
    {
        @Command(name = "peer", description = "Site peer hosts (by underlay address).",
            subcommands = {Peer.Add.class, Peer.Del.class, Peer.List.class})
        static final class Peer
        {
            @Command(name = "add", description = "Add a peer host of this site.")
            static final class Add implements Callable<Integer>
            {
                @Spec
                CommandLine.Model.CommandSpec spec;
                @Parameters(paramLabel = "IP")
                String ip;

                public Integer call()
                {
                    return request(spec, io.vanswitch.control.config.SitePeers.toRequest(io.vanswitch.control.config.SitePeers.parse(ip)), false);
                }
            }

            @Command(name = "del", description = "Remove a peer host.")
            static final class Del implements Callable<Integer>
            {
                @Spec
                CommandLine.Model.CommandSpec spec;
                @Parameters(paramLabel = "IP")
                String ip;

                public Integer call()
                {
                    return request(spec, ControlMessage.of("site-peer-del", "ip",
                        Ipv4Address.format(io.vanswitch.control.config.SitePeers.parse(ip))), false);
                }
            }

            @Command(name = "list", description = "List peer hosts: next hop resolved, VANs they serve, routes through them.")
            static final class List implements Callable<Integer>
            {
                @Spec
                CommandLine.Model.CommandSpec spec;

                public Integer call()
                {
                    return request(spec, ControlMessage.of("site-peer-list"), true);
                }
            }
        }
    }

    @Command(name = "health", description = "Health of the site peers this host shares routes with.",
        subcommands = {Health.Show.class})
    static final class Health
    {
        @Command(name = "show", description = "Peers, their state, round-trip time, routes through them.")
        static final class Show implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;

            public Integer call()
            {
                return request(spec, ControlMessage.of("health-show"), true);
            }
        }
    }

    @Command(name = "proxy", description = "This switch as its site's proxy: peer proxies of other sites, VAN ID mappings.",
        subcommands = {Proxy.Enable.class, Proxy.Disable.class, Proxy.Peer.class, Proxy.Map.class, Proxy.Unmap.class, Proxy.Show.class})
    static final class Proxy
    {
        @Command(name = "enable", description = "Make this switch its site's proxy (needs the underlay set first).")
        static final class Enable implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--public-devargs", required = true, paramLabel = "STR",
                description = "The public (inter-site) DPDK device, e.g. net_af_packet1,iface=eth2.")
            String devargs;
            @Option(names = "--public-ip", required = true, paramLabel = "A.B.C.D/NN", description = "This proxy's public address.")
            String ip;
            @Option(names = "--gateway", paramLabel = "IP", description = "Next hop towards peer proxies outside the subnet.")
            String gateway;
            @Option(names = "--port", paramLabel = "N", description = "Proxy port: TCP for sessions, UDP for data (default 4798).")
            Integer port;
            @Option(names = "--cert", required = true, paramLabel = "FILE", description = "This proxy's certificate (PEM).")
            Path cert;
            @Option(names = "--key", required = true, paramLabel = "FILE", description = "Its private key (PEM, PKCS#8).")
            Path key;
            @Option(names = "--ca", required = true, paramLabel = "FILE", description = "The CA peer proxies' certificates must chain to (PEM).")
            Path ca;
            @Option(names = "--mtu", paramLabel = "N",
                description = "Public link MTU (default 1500; 68 bytes go to sealing, so tenant frames up to MTU - 68).")
            Integer mtu;

            public Integer call()
            {
                // absolute paths: the daemon reads the files, from its own working directory
                final io.vanswitch.control.config.ProxySpec proxy = io.vanswitch.control.config.ProxySpec.fromRequest(
                    ControlMessage.of("proxy-enable", "public-devargs", devargs, "public-ip", ip, "gateway", gateway,
                        "port", null == port ? null : port.toString(), "cert", cert.toAbsolutePath().toString(),
                        "key", key.toAbsolutePath().toString(), "ca", ca.toAbsolutePath().toString(),
                        "mtu", null == mtu ? null : mtu.toString()));
                return request(spec, proxy.toRequest(), false);
            }
        }

        @Command(name = "disable", description = "Stop being a proxy (peers and mappings are kept).")
        static final class Disable implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;

            public Integer call()
            {
                return request(spec, ControlMessage.of("proxy-disable"), false);
            }
        }

        @Command(name = "peer", description = "Peer proxies of other sites.", subcommands = {Peer.Add.class, Peer.Del.class})
        static final class Peer
        {
            @Command(name = "add", description = "Add a peer proxy, named by its certificate's CN (it must add this one too).")
            static final class Add implements Callable<Integer>
            {
                @Spec
                CommandLine.Model.CommandSpec spec;
                @Parameters(paramLabel = "NAME")
                String name;
                @Option(names = "--address", required = true, paramLabel = "IP[:PORT]", description = "Its public address and port.")
                String address;

                public Integer call()
                {
                    final io.vanswitch.control.config.ProxyPeerSpec peer = io.vanswitch.control.config.ProxyPeerSpec.fromRequest(
                        ControlMessage.of("proxy-peer-add", "name", name, "address", address));
                    return request(spec, peer.toRequest(), false);
                }
            }

            @Command(name = "del", description = "Remove a peer proxy and its mappings.")
            static final class Del implements Callable<Integer>
            {
                @Spec
                CommandLine.Model.CommandSpec spec;
                @Parameters(paramLabel = "NAME")
                String name;

                public Integer call()
                {
                    return request(spec, ControlMessage.of("proxy-peer-del", "name", name), false);
                }
            }
        }

        @Command(name = "map", description = "Let a VAN cross to a peer proxy: this site's VAN L is the peer site's VAN R.")
        static final class Map implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "NAME")
            String name;
            @Option(names = "--local-van", required = true, paramLabel = "L")
            int localVan;
            @Option(names = "--remote-van", required = true, paramLabel = "R")
            int remoteVan;

            public Integer call()
            {
                return request(spec, new io.vanswitch.control.config.ProxyMapSpec(name, localVan, remoteVan).toRequest(), false);
            }
        }

        @Command(name = "unmap", description = "Stop a VAN crossing to a peer proxy.")
        static final class Unmap implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;
            @Parameters(paramLabel = "NAME")
            String name;
            @Option(names = "--local-van", required = true, paramLabel = "L")
            int localVan;

            public Integer call()
            {
                return request(spec, ControlMessage.of("proxy-unmap", "name", name, "local-van", Integer.toString(localVan)), false);
            }
        }

        @Command(name = "show", description = "The proxy, its peers (session, certificate, keys, traffic, drops by reason), the mappings.")
        static final class Show implements Callable<Integer>
        {
            @Spec
            CommandLine.Model.CommandSpec spec;

            public Integer call()
            {
                return request(spec, ControlMessage.of("proxy-show"), true, "proxy", "peer", "map");
            }
        }
    }

    @Command(name = "completion", description = "Print a bash completion script: source <(vanctl completion)")
    static final class Completion implements Callable<Integer>
    {
        @Spec
        CommandLine.Model.CommandSpec spec;

        public Integer call()
        {
            spec.commandLine().getOut().print(AutoComplete.bash("vanctl", spec.root().commandLine()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
