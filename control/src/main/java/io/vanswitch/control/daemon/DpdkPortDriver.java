package io.vanswitch.control.daemon;

import io.vanswitch.control.config.PortSpec;
import io.vanswitch.control.config.PortType;
import io.vanswitch.dataplane.dpdk.DpdkPort;
import io.vanswitch.dataplane.dpdk.MbufPool;
import io.vanswitch.dataplane.dpdk.PacketSocketPort;
import io.vanswitch.dataplane.dpdk.PortDevice;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Ports as DPDK ethdevs from the port's devargs, and veth ports as the shim's packet-socket ports,
 * all receiving into the switch's mbuf pool.
 */
public final class DpdkPortDriver implements PortDriver
{
    private final MbufPool pool;

    public DpdkPortDriver(final MbufPool pool)
    {
        this.pool = pool;
    }

    public PortDevice open(final PortSpec spec, final int txQueues)
    {
        if (spec.type() == PortType.VHOST_USER && !spec.client())
        {
            removeStaleSocket(Path.of(spec.target()));
        }
        if (spec.type() != PortType.VETH)
        {
            return DpdkPort.open(spec.devargs(txQueues), txQueues, pool);
        }
        final String switchSide = spec.vethSwitchSide();
        final boolean made = VethPair.ensure(spec.target(), switchSide);
        try
        {
            return PacketSocketPort.open(switchSide, txQueues, pool);
        }
        catch (final RuntimeException ex)
        {
            if (made)
            {
                VethPair.delete(switchSide);
            }
            throw ex;
        }
    }

    public void removeOutside(final PortSpec spec)
    {
        if (spec.type() == PortType.VETH)
        {
            VethPair.delete(spec.vethSwitchSide());
        }
    }

    public PortDevice openUnderlay(final String devargs, final int txQueues)
    {
        return DpdkPort.open(devargs, txQueues, pool);
    }

    /**
     * A vhost-user server socket left behind by a switch that died (SIGKILL, crash) would make the
     * bind fail, and with it the port's restore. A socket nobody listens on is removed; anything
     * else at the path is left alone and reported.
     */
    static void removeStaleSocket(final Path path)
    {
        try
        {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                return;
            }
            if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther())
            {
                throw new IllegalArgumentException(path + " exists and is not a socket: remove it or choose another path");
            }
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX))
            {
                probe.connect(UnixDomainSocketAddress.of(path));
                throw new IllegalArgumentException("vhost-user socket " + path + " is in use by another process");
            }
            catch (final IOException notListening)
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot check vhost-user socket " + path + ": " + ex.getMessage());
        }
    }
}
