package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;

/**
 * This switch as its site's proxy (docs/federation.md): the public (inter-site) DPDK device, the
 * public IPv4 address and prefix, an optional gateway towards the peer proxies, the proxy port (TCP
 * for the TLS sessions, UDP for sealed data), the PEM files of this proxy's certificate, its key
 * and the CA that peer proxies' certificates must chain to, and the public port's IP MTU.
 *
 * @param gateway Ipv4Address.ANY when there is none.
 * @param mtu     the public link's IP MTU (default 1500, bounds as the underlay's): sealing takes
 *                {@link #OVERHEAD_IN_MTU} of it, so the largest tenant frame is mtu - 68 bytes.
 */
public record ProxySpec(
    String publicDevargs, int publicIp, int prefixLength, int gateway, int port, String cert, String key, String ca, int mtu)
{
    public static final int DEFAULT_PORT = 4798;
    public static final int DEFAULT_MTU = 1500;
    /** Outer IPv4 + UDP + sealed header + VAN header + tag: what sealing takes from the public IP MTU. */
    public static final int OVERHEAD_IN_MTU = 20 + 8 + 12 + 12 + 16;

    /** With the default public MTU (1500). */
    public ProxySpec(
        final String publicDevargs, final int publicIp, final int prefixLength, final int gateway, final int port,
        final String cert, final String key, final String ca)
    {
        this(publicDevargs, publicIp, prefixLength, gateway, port, cert, key, ca, DEFAULT_MTU);
    }

    public ProxySpec
    {
        if (null == publicDevargs || publicDevargs.isEmpty() || publicDevargs.chars().anyMatch(Character::isWhitespace))
        {
            throw new IllegalArgumentException("bad public devargs '" + ControlMessage.printable(String.valueOf(publicDevargs)) +
                "': a DPDK device such as net_af_packet1,iface=eth2");
        }
        if (!Ipv4Address.isHost(publicIp) || prefixLength < 1 || prefixLength > 32)
        {
            throw new IllegalArgumentException("bad public address " + Ipv4Address.format(publicIp) + "/" + prefixLength +
                ": a host address with a prefix length 1..32");
        }
        if (gateway != Ipv4Address.ANY && !Ipv4Address.sameSubnet(publicIp, gateway, prefixLength))
        {
            throw new IllegalArgumentException("gateway " + Ipv4Address.format(gateway) + " is not in " +
                Ipv4Address.format(publicIp) + "/" + prefixLength);
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("bad proxy port " + port + ": 1..65535");
        }
        if (mtu < 576 || mtu > UnderlaySpec.MAX_MTU)
        {
            throw new IllegalArgumentException("bad public MTU " + mtu + ": 576.." + UnderlaySpec.MAX_MTU +
                " (jumbo frames need multi-segment mbufs, which the switch does not use yet)");
        }
        for (final String[] file : new String[][] {{"--cert", cert}, {"--key", key}, {"--ca", ca}})
        {
            if (null == file[1] || file[1].isEmpty() || file[1].chars().anyMatch(Character::isWhitespace))
            {
                throw new IllegalArgumentException("missing or bad " + file[0] + " '" + ControlMessage.printable(String.valueOf(file[1])) +
                    "': the path of a PEM file (no spaces)");
            }
        }
    }

    public String deviceName()
    {
        return publicDevargs.split(",", 2)[0];
    }

    /** The largest tenant frame (Ethernet header included, no FCS) that fits the public MTU sealed. */
    public int maxInnerFrame()
    {
        return mtu - OVERHEAD_IN_MTU;
    }

    public static ProxySpec fromRequest(final ControlMessage request)
    {
        final String cidr = request.get("public-ip");
        if (null == cidr)
        {
            throw new IllegalArgumentException("missing public address: give --public-ip A.B.C.D/NN");
        }
        final Ipv4Address.Cidr address = Ipv4Address.parseCidr(cidr);
        final String gateway = request.get("gateway");
        final int portNumber = UnderlaySpec.parseInt(request.get("port"), DEFAULT_PORT, "proxy port");
        final int mtu = UnderlaySpec.parseInt(request.get("mtu"), DEFAULT_MTU, "public MTU");
        return new ProxySpec(
            request.get("public-devargs"),
            address.address(),
            address.prefixLength(),
            null == gateway ? Ipv4Address.ANY : Ipv4Address.parse(gateway),
            portNumber,
            request.get("cert"),
            request.get("key"),
            request.get("ca"),
            mtu);
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("proxy-enable",
            "public-devargs", publicDevargs,
            "public-ip", Ipv4Address.format(publicIp) + "/" + prefixLength,
            "gateway", gateway == Ipv4Address.ANY ? null : Ipv4Address.format(gateway),
            "port", Integer.toString(port),
            "cert", cert,
            "key", key,
            "ca", ca,
            "mtu", mtu == DEFAULT_MTU ? null : Integer.toString(mtu));
    }
}
