package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.Ipv4Address;

/**
 * The host's underlay: the DPDK device the switch owns, its IPv4 address and prefix, an optional
 * gateway for off-subnet peers, the overlay's UDP port and the underlay MTU (docs/wire-format.md).
 *
 * @param gateway Ipv4Address.ANY when there is none.
 * @param mac     a MAC to give the device, or MacAddress.NONE to keep its own.
 */
public record UnderlaySpec(String devargs, int ip, int prefixLength, int gateway, int udpPort, int mtu, long mac)
{
    public UnderlaySpec(final String devargs, final int ip, final int prefixLength, final int gateway, final int udpPort, final int mtu)
    {
        this(devargs, ip, prefixLength, gateway, udpPort, mtu, io.vanswitch.dataplane.frame.MacAddress.NONE);
    }

    public static final int DEFAULT_UDP_PORT = 4797;
    public static final int DEFAULT_MTU = 1500;
    /** What one mbuf holds: 2048 bytes of data room, less the Ethernet header and a VLAN tag. */
    public static final int MAX_MTU = 2048 - 14 - 4;
    /** Outer IPv4 + UDP + VAN header: what the overlay takes from the underlay's IP MTU. */
    public static final int OVERHEAD_IN_MTU = 20 + 8 + 12;

    public UnderlaySpec
    {
        if (null == devargs || devargs.isEmpty() || devargs.chars().anyMatch(Character::isWhitespace))
        {
            throw new IllegalArgumentException("bad underlay devargs '" + ControlMessage.printable(String.valueOf(devargs)) +
                "': a DPDK device such as net_af_packet0,iface=eth1");
        }
        if (!Ipv4Address.isHost(ip) || prefixLength < 1 || prefixLength > 32)
        {
            throw new IllegalArgumentException("bad underlay address " + Ipv4Address.format(ip) + "/" + prefixLength +
                ": a host address with a prefix length 1..32");
        }
        if (gateway != Ipv4Address.ANY && !Ipv4Address.sameSubnet(ip, gateway, prefixLength))
        {
            throw new IllegalArgumentException("gateway " + Ipv4Address.format(gateway) + " is not in " +
                Ipv4Address.format(ip) + "/" + prefixLength);
        }
        if (udpPort < 1 || udpPort > 65535)
        {
            throw new IllegalArgumentException("bad UDP port " + udpPort + ": 1..65535");
        }
        if (mac != io.vanswitch.dataplane.frame.MacAddress.NONE &&
            (io.vanswitch.dataplane.frame.MacAddress.isGroup(mac) || io.vanswitch.dataplane.frame.MacAddress.isZero(mac)))
        {
            throw new IllegalArgumentException("bad underlay MAC " + io.vanswitch.dataplane.frame.MacAddress.format(mac) + ": unicast and non-zero");
        }
        if (mtu < 576 || mtu > MAX_MTU)
        {
            throw new IllegalArgumentException("bad underlay MTU " + mtu + ": 576.." + MAX_MTU +
                " (jumbo frames need multi-segment mbufs, which the switch does not use yet)");
        }
    }

    public String deviceName()
    {
        return devargs.split(",", 2)[0];
    }

    /** The largest tenant frame (Ethernet header included, no FCS) that fits encapsulated. */
    public int maxInnerFrame()
    {
        return mtu - OVERHEAD_IN_MTU;
    }

    public static UnderlaySpec fromRequest(final ControlMessage request)
    {
        final String cidr = request.get("ip");
        if (null == cidr)
        {
            throw new IllegalArgumentException("missing underlay address: give --ip A.B.C.D/NN");
        }
        final Ipv4Address.Cidr address = Ipv4Address.parseCidr(cidr);
        final String gateway = request.get("gateway");
        return new UnderlaySpec(
            request.get("devargs"),
            address.address(),
            address.prefixLength(),
            null == gateway ? Ipv4Address.ANY : Ipv4Address.parse(gateway),
            parseInt(request.get("udp-port"), DEFAULT_UDP_PORT, "UDP port"),
            parseInt(request.get("mtu"), DEFAULT_MTU, "MTU"),
            null == request.get("mac") ? io.vanswitch.dataplane.frame.MacAddress.NONE : io.vanswitch.dataplane.frame.MacAddress.parse(request.get("mac")));
    }

    /** A number option of a request, or the default when absent; a clear error when it is no number. */
    static int parseInt(final String text, final int defaultValue, final String what)
    {
        if (null == text)
        {
            return defaultValue;
        }
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad " + what + " '" + ControlMessage.printable(text) + "': expected a number");
        }
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("underlay-set",
            "devargs", devargs,
            "ip", Ipv4Address.format(ip) + "/" + prefixLength,
            "gateway", gateway == Ipv4Address.ANY ? null : Ipv4Address.format(gateway),
            "udp-port", Integer.toString(udpPort),
            "mtu", Integer.toString(mtu),
            "mac", mac == io.vanswitch.dataplane.frame.MacAddress.NONE ? null : io.vanswitch.dataplane.frame.MacAddress.format(mac));
    }
}
