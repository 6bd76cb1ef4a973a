package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;

/**
 * This switch as its site's proxy (docs/federation.md): the public (inter-site) DPDK device, the
 * public IPv4 address and prefix, an optional gateway towards the peer proxies, the proxy port (TCP
 * for the TLS sessions, UDP for sealed data), and the PEM files of this proxy's certificate, its key
 * and the CA that peer proxies' certificates must chain to.
 *
 * @param gateway Ipv4Address.ANY when there is none.
 */
public record ProxySpec(
    String publicDevargs, int publicIp, int prefixLength, int gateway, int port, String cert, String key, String ca)
{
    public static final int DEFAULT_PORT = 4798;

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

    public static ProxySpec fromRequest(final ControlMessage request)
    {
        final String cidr = request.get("public-ip");
        if (null == cidr)
        {
            throw new IllegalArgumentException("missing public address: give --public-ip A.B.C.D/NN");
        }
        final Ipv4Address.Cidr address = Ipv4Address.parseCidr(cidr);
        final String gateway = request.get("gateway");
        final String port = request.get("port");
        int portNumber = DEFAULT_PORT;
        if (null != port)
        {
            try
            {
                portNumber = Integer.parseInt(port);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("bad proxy port '" + ControlMessage.printable(port) + "': expected a number");
            }
        }
        return new ProxySpec(
            request.get("public-devargs"),
            address.address(),
            address.prefixLength(),
            null == gateway ? Ipv4Address.ANY : Ipv4Address.parse(gateway),
            portNumber,
            request.get("cert"),
            request.get("key"),
            request.get("ca"));
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
            "ca", ca);
    }
}
