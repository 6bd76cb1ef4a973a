package io.vanswitch.control.it;

import io.vanswitch.control.cli.Vanctl;
import io.vanswitch.control.protocol.ControlClient;
import io.vanswitch.control.protocol.ControlException;
import io.vanswitch.control.protocol.ControlMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A vanswitch daemon in its own JVM, as an operator runs it, with a non-spinning idle strategy
 * (tests share two cores with dpdk-testpmd) and its own EAL prefix, socket and state directory.
 */
public final class Daemon implements AutoCloseable
{
    private final Path dir;
    private final Path socket;
    private final Path stateDir;
    private final Path log;
    private final String prefix;
    private final List<String> extraArgs;
    private String netns;
    private Process process;

    public Daemon(final Path dir, final String prefix, final String... extraArgs)
    {
        this.dir = dir;
        this.socket = dir.resolve("vanswitch.sock");
        this.stateDir = dir.resolve("state");
        this.log = dir.resolve("daemon-" + prefix + ".log");
        this.prefix = prefix;
        this.extraArgs = List.of(extraArgs);
    }

    /** Runs the daemon inside this network namespace (a host of a multi-host test). */
    public Daemon inNamespace(final String namespace)
    {
        this.netns = namespace;
        return this;
    }

    public Path socket()
    {
        return socket;
    }

    public Path stateDir()
    {
        return stateDir;
    }

    public Path log()
    {
        return log;
    }

    public static List<String> command(final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m"));
        command.add("-Dvanswitch.shim=" + System.getProperty("vanswitch.shim"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.vanswitch.control.daemon.VanswitchDaemon");
        command.addAll(args);
        return command;
    }

    /** Starts the daemon and waits until it answers on its socket. */
    public Daemon start()
    {
        final List<String> args = new ArrayList<>(List.of("--socket", socket.toString(), "--state-dir", stateDir.toString(),
            "--idle", "backoff", "--eal-prefix", prefix, "--mbufs", "8191"));
        if (!extraArgs.contains("--mem"))
        {
            args.addAll(List.of("--mem", "256"));
        }
        args.addAll(extraArgs);
        if (!extraArgs.contains("--cores"))
        {
            args.addAll(List.of("--cores", "1"));
        }
        try
        {
            Files.createDirectories(dir);
            final List<String> command = new ArrayList<>();
            if (null != netns)
            {
                // ip netns exec execs the JVM itself: signals reach it directly
                command.addAll(List.of("ip", "netns", "exec", netns));
            }
            command.addAll(command(args));
            process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        final long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("vanswitch exited with " + process.exitValue() + ":\n" + logText());
            }
            if (Files.exists(socket))
            {
                try (ControlClient client = ControlClient.connect(socket, 5_000))
                {
                    client.call(ControlMessage.of("ping"));
                    return this;
                }
                catch (final ControlException ex)
                {
                    // not ready yet
                }
            }
            pause(50);
        }
        throw new IllegalStateException("vanswitch did not come up within 60 s:\n" + logText());
    }

    public boolean isAlive()
    {
        return null != process && process.isAlive();
    }

    /** SIGTERM, then waits; returns the exit status. */
    public int stop()
    {
        if (null == process)
        {
            return -1;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("vanswitch did not stop within 30 s of SIGTERM:\n" + logText());
            }
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
        finally
        {
            process = null;
        }
    }

    /** SIGKILL, as a crash would end it: nothing is cleaned up. */
    public void kill()
    {
        if (null != process)
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public String logText()
    {
        try
        {
            return Files.readString(log);
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    /** Runs vanctl against this daemon in-process; the command must succeed. Returns stdout. */
    public String vanctl(final String... args)
    {
        final CliResult result = vanctlResult(args);
        if (result.exitCode() != 0)
        {
            throw new IllegalStateException("vanctl " + String.join(" ", args) + " failed: " + result.err());
        }
        return result.out();
    }

    public CliResult vanctlResult(final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("--socket", socket.toString()));
        all.addAll(List.of(args));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Vanctl.run(all.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public record CliResult(int exitCode, String out, String err)
    {
    }

    /** The reply rows of one request, as field maps. */
    public List<Map<String, String>> rows(final String command, final String... keyValues)
    {
        try (ControlClient client = ControlClient.connect(socket))
        {
            return client.call(ControlMessage.of(command, keyValues)).stream().map(ControlMessage::fields).toList();
        }
    }

    /** A counter from {@code stats}: kind=port|van|pmd, the row's key field and value, the counter name. */
    public long stat(final String kind, final String keyField, final String keyValue, final String counter)
    {
        return Long.parseLong(statText(kind, keyField, keyValue, counter));
    }

    /** A field of a {@code stats} row as it is (null when the row has none), found as {@link #stat} finds it. */
    public String statText(final String kind, final String keyField, final String keyValue, final String field)
    {
        for (final Map<String, String> row : rows("stats"))
        {
            if (kind.equals(row.get("kind")) && keyValue.equals(row.get(keyField)))
            {
                return row.get(field);
            }
        }
        throw new IllegalStateException("no " + kind + " " + keyValue + " in stats");
    }

    public Map<String, String> port(final String name)
    {
        return rows("port-list").stream().filter(r -> name.equals(r.get("name"))).findFirst()
            .orElseThrow(() -> new IllegalStateException("no port " + name));
    }

    public void close()
    {
        if (null != process && process.isAlive())
        {
            stop();
        }
    }

    public static void pause(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
