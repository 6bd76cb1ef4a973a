package io.vanswitch.dataplane.dpdk;

import io.vanswitch.bindings.DpdkShim;
import io.vanswitch.bindings.dpdk.Dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The DPDK environment abstraction layer: initialised once per process, on the thread that becomes
 * the EAL main lcore (our control thread's parent).
 */
public final class Eal
{
    private static boolean initialised;

    private Eal()
    {
    }

    /**
     * @param args EAL arguments, program name first.
     */
    public static synchronized void init(final List<String> args)
    {
        if (initialised)
        {
            throw new IllegalStateException("EAL already initialised");
        }
        DpdkShim.load();
        final Arena arena = Arena.global();
        final MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, args.size() + 1);
        for (int i = 0; i < args.size(); i++)
        {
            argv.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(args.get(i)));
        }
        argv.setAtIndex(ValueLayout.ADDRESS, args.size(), MemorySegment.NULL);
        final int rc = Dpdk.rte_eal_init(args.size(), argv);
        if (rc < 0)
        {
            throw new DpdkException("rte_eal_init " + String.join(" ", args) + " failed: " + lastError());
        }
        initialised = true;
    }

    public static synchronized void cleanup()
    {
        if (initialised)
        {
            Dpdk.rte_eal_cleanup();
            initialised = false;
        }
    }

    public static String lastError()
    {
        return strerror(DpdkShim.errno());
    }

    public static String strerror(final int errnum)
    {
        final int positive = Math.abs(errnum);
        return Dpdk.rte_strerror(positive).reinterpret(256).getString(0) + " (" + positive + ")";
    }

    public static int socketId()
    {
        return Dpdk.rte_socket_id();
    }
}
