package io.vanswitch.control.it;

/**
 * A network namespace holding one kernel endpoint: a TAP interface the switch created, moved in.
 */
public final class Netns implements AutoCloseable
{
    private final String name;

    public Netns(final String name)
    {
        this.name = name;
        Shell.run("ip", "netns", "del", name);
        Shell.ok("ip", "netns", "add", name);
        Shell.ok("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        // no IPv6 chatter: the tests count frames
        Shell.ok("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        Shell.ok("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
    }

    public String name()
    {
        return name;
    }

    /** A veth pair with one end in each namespace, both up. */
    public static void wire(final String leftName, final Netns left, final String rightName, final Netns right)
    {
        Shell.run("ip", "link", "del", leftName);
        Shell.ok("ip", "link", "add", leftName, "type", "veth", "peer", "name", rightName);
        Shell.ok("ip", "link", "set", leftName, "netns", left.name());
        Shell.ok("ip", "link", "set", rightName, "netns", right.name());
        left.exec("ip", "link", "set", leftName, "up");
        right.exec("ip", "link", "set", rightName, "up");
    }

    /**
     * A tenant endpoint: a TAP port of {@code host}'s VAN, made by the switch in the host's namespace,
     * moved here with its MAC and address.
     */
    public void attachTap(final Daemon host, final String hostNamespace, final String port, final int van, final String ip, final String mac)
    {
        final String tap = "vs" + port;
        host.vanctl("port", "add", port, "--van", Integer.toString(van), "--tap", tap, "--mac", mac);
        Await.until(tap + " in " + hostNamespace, 10_000,
            () -> Shell.run("ip", "netns", "exec", hostNamespace, "ip", "link", "show", tap).exitCode() == 0);
        Shell.ok("ip", "netns", "exec", hostNamespace, "ip", "link", "set", tap, "netns", name);
        exec("ip", "link", "set", tap, "address", mac);
        exec("ip", "addr", "add", ip + "/24", "dev", tap);
        exec("ip", "link", "set", tap, "up");
    }

    /** Moves the interface (created by the switch in the root namespace) here and configures it. */
    public void adopt(final String ifname, final String cidr, final String mac)
    {
        Await.until(ifname + " to appear", 10_000, () -> Shell.run("ip", "link", "show", ifname).exitCode() == 0);
        Shell.ok("ip", "link", "set", ifname, "netns", name);
        if (null != mac)
        {
            exec("ip", "link", "set", ifname, "address", mac);
        }
        exec("ip", "addr", "add", cidr, "dev", ifname);
        exec("ip", "link", "set", ifname, "up");
    }

    public String exec(final String... command)
    {
        final String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return Shell.ok(full);
    }

    public Shell.Result ping(final String ip, final int count)
    {
        return Shell.run("ip", "netns", "exec", name, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "2", ip);
    }

    /**
     * TCP from here to {@code server} (listening on {@code serverIp}): iperf3 sends {@code bytes}
     * (iperf3's -n, e.g. 16M) over {@code flows} parallel connections, bounded to 60 s; the server
     * serves this one client and is stopped either way.
     */
    public Shell.Result tcpTransfer(final Netns server, final String serverIp, final String bytes, final int flows)
    {
        try
        {
            Shell.ok("ip", "netns", "exec", server.name, "iperf3", "-s", "-1", "-D", "-B", serverIp);
            return Shell.run("ip", "netns", "exec", name, "timeout", "60",
                "iperf3", "-c", serverIp, "-P", Integer.toString(flows), "-n", bytes, "--connect-timeout", "5000");
        }
        finally
        {
            Shell.run("pkill", "-f", "iperf3 -s -1 -D -B " + serverIp);
        }
    }

    /**
     * A UDP receiver here (python3) on {@code ip}:{@code port}, bound when this returns, that takes
     * up to {@code count} datagrams, giving up 5 s after the last; {@link UdpReceiver#result()} is
     * how many arrived and their distinct sizes, e.g. "80 [1000]".
     */
    public UdpReceiver udpReceiver(final String ip, final int port, final int count)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder("ip", "netns", "exec", name, "python3", "-c",
                "import socket\n" +
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
                "s.bind(('" + ip + "', " + port + "))\n" +
                "s.settimeout(5)\n" +
                "sizes = []\n" +
                "try:\n" +
                "    while len(sizes) < " + count + ":\n" +
                "        sizes.append(len(s.recv(65536)))\n" +
                "except socket.timeout:\n" +
                "    pass\n" +
                "print(len(sizes), sorted(set(sizes)))\n")
                .redirectErrorStream(true).start();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("python3 not available (apt-get install python3): " + ex.getMessage());
        }
        Await.until("the UDP receiver bound to port " + port, 10_000, () -> exec("ss", "-Huln", "sport", "= :" + port).contains(":" + port));
        return new UdpReceiver(process);
    }

    /** A running {@link #udpReceiver}. */
    public record UdpReceiver(Process process)
    {
        /** Waits for the receiver to end (20 s at most) and returns what it printed. */
        public String result()
        {
            try
            {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("the UDP receiver did not end");
                }
                return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            }
            catch (final java.io.IOException | InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
            finally
            {
                process.destroyForcibly();
            }
        }
    }

    public long rxPackets(final String ifname)
    {
        return Long.parseLong(exec("cat", "/sys/class/net/" + ifname + "/statistics/rx_packets").trim());
    }

    public void close()
    {
        Shell.run("ip", "netns", "del", name);
    }
}
