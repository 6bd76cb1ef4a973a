package io.vanswitch.control.daemon;

/**
 * The veth pair behind a {@code veth} port: the endpoint's side, named by the operator and moved by
 * them into a namespace or container, and the switch's side, which the switch's packet sockets read
 * and write (PacketSocketPort).
 * <p>
 * The endpoint's side keeps the veth's offloads (tx checksumming, TSO): the packet sockets carry the
 * kernel's checksum and segmentation state in a vnet header, so a 64 KiB TCP segment crosses the
 * switch whole and its checksum is left for whoever can do it. GRO is on, so the endpoint merges
 * what arrives in frames from other kinds of ports. The switch's side keeps GRO off: its packet
 * sockets should see what the endpoint sent, not segments merged again.
 * <p>
 * The pair outlives the daemon: a restart finds the switch's side and reattaches to it, so the
 * endpoint keeps its namespace and addresses. Deleting the port deletes the pair.
 */
final class VethPair
{
    private VethPair()
    {
    }

    /**
     * Makes the pair unless the switch's side exists (a restart), then brings the switch's side up.
     *
     * @return whether the pair was made here (and so is removed again if the port cannot open).
     * @throws IllegalArgumentException with an operator-readable reason; a pair made here is removed again.
     */
    static boolean ensure(final String endpointSide, final String switchSide)
    {
        final String existing = details(switchSide);
        final boolean made = null == existing;
        if (!made)
        {
            if (!existing.contains(" veth "))
            {
                throw new IllegalArgumentException("interface " + switchSide + " exists and is not a veth: " +
                    "it is the switch's side of veth port " + endpointSide + "; remove it or choose another name");
            }
        }
        else
        {
            if (null != details(endpointSide))
            {
                throw new IllegalArgumentException("interface " + endpointSide + " already exists: choose another veth name");
            }
            try
            {
                KernelCommand.run("ip", "link", "add", endpointSide, "type", "veth", "peer", "name", switchSide);
            }
            catch (final IllegalStateException ex)
            {
                throw new IllegalArgumentException("cannot create veth pair " + endpointSide + "/" + switchSide + ": " + ex.getMessage());
            }
            try
            {
                KernelCommand.run("ethtool", "-K", endpointSide, "gro", "on");
                KernelCommand.run("ethtool", "-K", switchSide, "gro", "off");
                KernelCommand.run("ip", "link", "set", endpointSide, "up");
            }
            catch (final IllegalStateException ex)
            {
                delete(switchSide);
                throw new IllegalArgumentException("cannot set up veth pair " + endpointSide + "/" + switchSide + ": " +
                    ex.getMessage() + " (ethtool is needed: apt-get install ethtool)");
            }
        }
        KernelCommand.run("ip", "link", "set", switchSide, "up");
        return made;
    }

    /** Deletes the pair (both sides go, wherever the endpoint's side is); absent is fine. */
    static void delete(final String switchSide)
    {
        if (null != details(switchSide))
        {
            try
            {
                KernelCommand.run("ip", "link", "del", switchSide);
            }
            catch (final IllegalStateException ex)
            {
                System.err.println("vanswitch: " + ex.getMessage());
            }
        }
    }

    /** ip's one-line detailed view of the interface in the daemon's namespace, or null when there is none. */
    private static String details(final String name)
    {
        try
        {
            return KernelCommand.run("ip", "-d", "-o", "link", "show", "dev", name);
        }
        catch (final IllegalStateException absent)
        {
            return null;
        }
    }
}
