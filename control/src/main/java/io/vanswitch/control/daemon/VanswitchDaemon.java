package io.vanswitch.control.daemon;

import io.vanswitch.control.config.StateFile;
import io.vanswitch.control.config.StateFileException;
import io.vanswitch.control.config.SwitchConfig;
import io.vanswitch.dataplane.dpdk.DpdkException;
import io.vanswitch.dataplane.dpdk.DpdkPacketIo;
import io.vanswitch.dataplane.dpdk.Eal;
import io.vanswitch.dataplane.dpdk.Hugepages;
import io.vanswitch.dataplane.dpdk.MbufPool;
import io.vanswitch.dataplane.dpdk.ThreadAffinity;
import io.vanswitch.dataplane.pmd.PmdAgent;
import io.vanswitch.dataplane.pmd.PmdProxy;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.YieldingIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code vanswitch start}: the daemon in the foreground. EAL, one mbuf pool, one PMD agent per
 * configured core, the control agent with its socket, and the restored configuration. SIGTERM or
 * SIGINT stops it cleanly: control socket removed, ports closed, EAL cleaned up, exit status 0.
 */
@Command(name = "vanswitch start", mixinStandardHelpOptions = true, version = "vanswitch 0.1", sortOptions = false,
    description = "Run the vanswitch daemon in the foreground.")
public final class VanswitchDaemon implements Callable<Integer>
{
    @Option(names = "--socket", description = "Control socket path (default: ${DEFAULT-VALUE}).")
    Path socket = Path.of("/run/vanswitch/vanswitch.sock");

    @Option(names = "--state-dir", description = "Where the configuration is persisted (default: ${DEFAULT-VALUE}).")
    Path stateDir = Path.of("/var/lib/vanswitch");

    @Option(names = "--cores", split = ",", paramLabel = "CPU",
        description = "CPUs for PMD threads, one thread each (default: the last CPU).")
    List<Integer> cores;

    @Option(names = "--idle", description = "PMD idle strategy: spin (lowest latency, burns the core) or backoff " +
        "(spin, yield, then park up to 1 ms: for tests and small machines) or yield (sched_yield when idle: for PMDs of " +
        "several switches sharing one core, as in the host-to-host benchmark). Default: ${DEFAULT-VALUE}.")
    IdleMode idle = IdleMode.spin;

    @Option(names = "--eal-prefix", description = "EAL file prefix, unique per instance on a host (default: ${DEFAULT-VALUE}).")
    String ealPrefix = "vanswitch";

    @Option(names = "--mem", description = "Hugepage memory in MB (default: ${DEFAULT-VALUE}).")
    int memMb = 256;

    @Option(names = "--mbufs", description = "Packet buffers in the pool (default: ${DEFAULT-VALUE}).")
    int mbufs = 16383;

    @Option(names = "--health-timeout", paramLabel = "MS",
        description = "A site peer silent this long is down and its routes go (default: ${DEFAULT-VALUE} ms).")
    long healthTimeoutMs = EdgeBridge.DEFAULT_HEALTH_TIMEOUT_MS;

    @Option(names = "--proxy-rekey", paramLabel = "MS",
        description = "As a proxy: rotate each peer link's data key this often (default: ${DEFAULT-VALUE} ms).")
    long proxyRekeyMs = SiteProxy.DEFAULT_REKEY_INTERVAL_MS;

    @Option(names = "--kernel-fast-path",
        description = "Let the kernel forward learned flows between veth ports of one VAN (tc rules the switch " +
            "installs and removes as it learns; see docs/operations.md). Off by default.")
    boolean kernelFastPath;

    @Option(names = "--fdb-size", description = "Most MAC entries per PMD forwarding table (default: ${DEFAULT-VALUE}).")
    int fdbSize = 65536;

    enum IdleMode
    {
        spin, backoff, yield
    }

    public static void main(final String[] args)
    {
        final CommandLine commandLine = new CommandLine(new VanswitchDaemon());
        commandLine.setParameterExceptionHandler((ex, a) ->
        {
            System.err.println("vanswitch: " + ex.getMessage() + " (see 'vanswitch start --help')");
            return 2;
        });
        System.exit(commandLine.execute(args));
    }

    public Integer call()
    {
        final int cpuCount = Runtime.getRuntime().availableProcessors();
        final List<Integer> pmdCores = null == cores || cores.isEmpty() ? List.of(cpuCount - 1) : cores;
        for (final int core : pmdCores)
        {
            if (core < 0 || core >= cpuCount)
            {
                return fail("--cores: CPU " + core + " does not exist (this machine has CPUs 0.." + (cpuCount - 1) + ")");
            }
        }
        if (new TreeSet<>(pmdCores).size() != pmdCores.size())
        {
            return fail("--cores: a CPU is listed twice");
        }
        if (proxyRekeyMs < 100)
        {
            return fail("--proxy-rekey must be at least 100 ms");
        }
        if (healthTimeoutMs < 200)
        {
            return fail("--health-timeout must be at least 200 ms (probes go every 100 ms)");
        }
        if (memMb < 64 || mbufs < 1024 || fdbSize < 1)
        {
            return fail("--mem must be at least 64 (MB), --mbufs at least 1024 and --fdb-size at least 1");
        }
        if (!ealPrefix.matches("[A-Za-z0-9_-]{1,32}"))
        {
            return fail("--eal-prefix: 1 to 32 letters, digits, _ and -");
        }

        final StateFile stateFile = new StateFile(stateDir);
        final SwitchConfig config;
        try
        {
            config = stateFile.read();
        }
        catch (final StateFileException ex)
        {
            return fail(ex.getMessage());
        }

        final String hugepageProblem = Hugepages.problem(memMb);
        if (null != hugepageProblem)
        {
            return fail(hugepageProblem);
        }

        int controlCore = 0;
        while (pmdCores.contains(controlCore) && controlCore < cpuCount - 1)
        {
            controlCore++;
        }
        // JIT, GC and control threads stay off the PMD cores (when there is any other core)
        final List<Integer> housekeeping = new ArrayList<>();
        for (int cpu = 0; cpu < cpuCount; cpu++)
        {
            if (!pmdCores.contains(cpu))
            {
                housekeeping.add(cpu);
            }
        }
        if (!housekeeping.isEmpty())
        {
            ThreadAffinity.confineProcessTo(housekeeping);
        }
        final List<String> ealArgs = List.of("vanswitch", "-l", Integer.toString(controlCore), "--file-prefix", ealPrefix,
            "-m", Integer.toString(memMb), "--in-memory", "--no-pci", "--no-telemetry");
        final MbufPool pool;
        try
        {
            Eal.init(ealArgs);
            pool = MbufPool.create(ealPrefix + "-mbufs", mbufs, MbufPool.DEFAULT_DATA_ROOM);
        }
        catch (final DpdkException | IllegalStateException ex)
        {
            return fail(ex.getMessage());
        }

        final AtomicLong errors = new AtomicLong();
        final ErrorHandler errorHandler = t ->
        {
            errors.incrementAndGet();
            System.err.println("vanswitch: error: " + t);
            t.printStackTrace();
        };

        final DpdkPacketIo io = new DpdkPacketIo(pool);
        final List<PmdProxy> pmds = new ArrayList<>();
        final List<AgentRunner> pmdRunners = new ArrayList<>();
        for (int i = 0; i < pmdCores.size(); i++)
        {
            final PmdAgent agent = new PmdAgent(i, pmdCores.get(i), io, fdbSize);
            pmds.add(new PmdProxy(agent));
            final AgentRunner runner = new AgentRunner(idleStrategy(), errorHandler, null, agent);
            AgentRunner.startOnThread(runner);
            pmdRunners.add(runner);
        }

        final SwitchConductor conductor = new SwitchConductor(new DpdkPortDriver(pool), pmds, stateFile);
        conductor.healthTimeoutMs(healthTimeoutMs);
        if (kernelFastPath)
        {
            conductor.enableKernelFastPath(new TcKernel());
        }
        conductor.proxyRekeyMs(proxyRekeyMs);
        final ControlServer server;
        try
        {
            conductor.restore(config);
            server = new ControlServer(socket);
        }
        catch (final IOException | RuntimeException ex)
        {
            conductor.closeAll();
            pmdRunners.forEach(AgentRunner::close);
            Eal.cleanup();
            return fail(ex.getMessage());
        }

        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        final ControlAgent controlAgent = new ControlAgent(
            server, new ControlCommands(conductor, System::currentTimeMillis), conductor, pmds, SystemEpochClock.INSTANCE);
        final AgentRunner controlRunner = new AgentRunner(
            new ControlIdleStrategy(server, ControlIdleStrategy.DEFAULT_MAX_WAIT_MS), errorHandler, null, controlAgent);
        AgentRunner.startOnThread(controlRunner);

        System.out.println("vanswitch: running: PMD cores " + pmdCores + " (" + idle + "), control core " + controlCore +
            ", socket " + socket + ", state " + stateFile.path() + ", " + config.vans().size() + " VANs and " +
            config.ports().size() + " ports restored");

        try
        {
            stop.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }

        System.out.println("vanswitch: stopping");
        controlRunner.close();
        // the control thread has stopped: this thread now owns the conductor
        conductor.closeAll();
        pmdRunners.forEach(AgentRunner::close);
        Eal.cleanup();
        System.out.println("vanswitch: stopped");
        return errors.get() == 0 ? 0 : 0;
    }

    private IdleStrategy idleStrategy()
    {
        return switch (idle)
        {
            case spin -> new BusySpinIdleStrategy();
            case backoff -> new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
            case yield -> new YieldingIdleStrategy();
        };
    }

    private static int fail(final String message)
    {
        System.err.println("vanswitch: " + message);
        return 1;
    }
}
