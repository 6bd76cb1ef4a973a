package io.vanswitch.perf.loadgen;

import io.vanswitch.bindings.DpdkShim;
import io.vanswitch.dataplane.dpdk.DpdkException;
import io.vanswitch.dataplane.dpdk.DpdkPacketIo;
import io.vanswitch.dataplane.dpdk.DpdkPort;
import io.vanswitch.dataplane.dpdk.Eal;
import io.vanswitch.dataplane.dpdk.Hugepages;
import io.vanswitch.dataplane.dpdk.MbufPool;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The latency load generator's main (perf/lib.sh: {@code perf_latency ARGS}): EAL on this thread,
 * which becomes the main lcore on --core and runs the whole measurement; one mbuf pool; the two
 * virtio-user ports; then {@link LatencyRun}. Exit status 0 when measured, 1 when something failed
 * (said on stderr), 2 for bad options.
 */
public final class LatencyGenerator
{
    /** As many mbufs as dpdk-testpmd is given in the perf scenarios. */
    public static final int MBUFS = 16384;

    private LatencyGenerator()
    {
    }

    public static void main(final String[] args)
    {
        final LatencyOptions options = new LatencyOptions();
        final CommandLine commandLine = new CommandLine(options);
        final CommandLine.ParseResult parsed;
        try
        {
            parsed = commandLine.parseArgs(args);
        }
        catch (final CommandLine.ParameterException ex)
        {
            System.err.println("latency generator: " + ex.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (CommandLine.printHelpIfRequested(parsed))
        {
            System.exit(0);
        }
        final String problem = options.problem();
        if (null != problem)
        {
            System.err.println("latency generator: " + problem);
            System.exit(2);
        }
        System.exit(run(options));
    }

    static int run(final LatencyOptions options)
    {
        final ResultOutput output = new ResultOutput(System.out, options.results(), options.scenario(), options.switchName(), options.x());
        final String hugepageProblem = Hugepages.problem(options.memMb());
        if (null != hugepageProblem)
        {
            output.error(hugepageProblem);
            return 1;
        }
        DpdkPort portA = null;
        DpdkPort portB = null;
        try
        {
            // this thread becomes the EAL main lcore, pinned to --core: the loop below runs on it
            Eal.init(options.ealArguments());
            final MbufPool pool = MbufPool.create("vsgen-mbufs", MBUFS, MbufPool.DEFAULT_DATA_ROOM);
            portA = open(options, 0, pool);
            portB = open(options, 1, pool);
            final int rc = DpdkShim.pinCurrentThread(options.core());
            if (rc != 0)
            {
                output.error("cannot pin the generator thread to CPU " + options.core() + ": errno " + rc);
                return 1;
            }
            try (TrafficLoop loop = new TrafficLoop(new DpdkPacketIo(pool), portA.portId(), portB.portId(),
                new FrameTemplate(options.frameBytes()), new MacSpreader(options.macs())))
            {
                return new LatencyRun(options, loop, output).run();
            }
        }
        catch (final DpdkException | IllegalStateException | UncheckedIOException ex)
        {
            output.error(ex.getMessage());
            return 1;
        }
        finally
        {
            if (null != portB)
            {
                portB.close();
            }
            if (null != portA)
            {
                portA.close();
            }
            Eal.cleanup();
        }
    }

    private static DpdkPort open(final LatencyOptions options, final int index, final MbufPool pool)
    {
        final Path socket = 0 == index ? options.socketA() : options.socketB();
        if (options.server())
        {
            if (Files.isRegularFile(socket) || Files.isDirectory(socket))
            {
                throw new IllegalStateException(socket + " exists and is not a socket: not removing it (give another --socket path)");
            }
            try
            {
                // virtio-user binds the path and cannot bind over a socket file left by an earlier run
                Files.deleteIfExists(socket);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot remove the old socket " + socket + ": " + ex.getMessage(), ex);
            }
            System.out.println("waiting for the switch to connect to " + socket + " ...");
        }
        else if (!Files.exists(socket))
        {
            throw new IllegalStateException("no vhost-user socket at " + socket + ": start the switch and add its ports first" +
                " (or give --server when the switch connects as a client)");
        }
        return DpdkPort.open(options.devargs(index), 1, pool);
    }
}
