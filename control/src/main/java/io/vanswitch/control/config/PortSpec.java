package io.vanswitch.control.config;

import io.vanswitch.control.protocol.ControlMessage;
import io.vanswitch.dataplane.frame.MacAddress;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A port as configured. {@code target} is the vhost-user socket path, the TAP interface name, the
 * veth endpoint's interface name, or the raw devargs, by {@code type}. {@code mac} is the assigned source MAC or MacAddress.NONE.
 */
public record PortSpec(String name, int vanId, PortType type, String target, boolean client, long mac)
{
    public PortSpec
    {
        if (null == name || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}"))
        {
            throw new IllegalArgumentException("bad port name '" + ControlMessage.printable(String.valueOf(name)) +
                "': up to 32 letters, digits and _ . - characters");
        }
        VanSpec.checkId(vanId);
        if (null == target || target.isEmpty())
        {
            throw new IllegalArgumentException("port " + name + ": missing " + targetName(type));
        }
        switch (type)
        {
            case VHOST_USER ->
            {
                if (!target.startsWith("/") || target.contains(",") || target.length() > 100)
                {
                    throw new IllegalArgumentException("bad vhost-user socket path '" + ControlMessage.printable(target) +
                        "': an absolute path without commas, at most 100 characters");
                }
            }
            case TAP, VETH ->
            {
                if (!target.matches("[A-Za-z0-9_.-]{1,15}"))
                {
                    throw new IllegalArgumentException("bad " + (type == PortType.TAP ? "TAP" : "veth") + " interface name '" +
                        ControlMessage.printable(target) + "': 1 to 15 letters, digits and _ . - characters");
                }
            }
            case DEVARGS ->
            {
                if (target.chars().anyMatch(Character::isWhitespace))
                {
                    throw new IllegalArgumentException("bad devargs '" + ControlMessage.printable(target) + "': no spaces allowed");
                }
            }
        }
        if (client && type != PortType.VHOST_USER)
        {
            throw new IllegalArgumentException("port " + name + ": --client applies to vhost-user ports only");
        }
        if (mac != MacAddress.NONE && (MacAddress.isGroup(mac) || MacAddress.isZero(mac)))
        {
            throw new IllegalArgumentException("bad MAC address " + MacAddress.format(mac) +
                " for port " + name + ": must be a unicast, non-zero address");
        }
    }

    private static String targetName(final PortType type)
    {
        return switch (type)
        {
            case VHOST_USER -> "vhost-user socket path";
            case TAP -> "TAP interface name";
            case VETH -> "veth interface name";
            case DEVARGS -> "devargs";
        };
    }

    public static PortSpec fromRequest(final ControlMessage request)
    {
        final String typeLabel = request.get("type");
        if (null == typeLabel)
        {
            throw new IllegalArgumentException("missing port type: give --vhost-user PATH, --tap IFNAME, --veth IFNAME or --devargs STR");
        }
        final PortType type = PortType.fromLabel(typeLabel);
        final String macText = request.get("mac");
        final String clientText = request.get("client");
        if (null != clientText && !clientText.equals("true") && !clientText.equals("false"))
        {
            throw new IllegalArgumentException("bad client flag '" + ControlMessage.printable(clientText) + "': true or false");
        }
        return new PortSpec(
            request.get("name"),
            VanSpec.parseId(request.get("van")),
            type,
            request.get("target"),
            "true".equals(clientText),
            null == macText ? MacAddress.NONE : MacAddress.parse(macText));
    }

    public ControlMessage toRequest()
    {
        return ControlMessage.of("port-add",
            "name", name,
            "van", Integer.toString(vanId),
            "type", type.label(),
            "target", target,
            "client", client ? "true" : null,
            "mac", mac == MacAddress.NONE ? null : MacAddress.format(mac));
    }

    /** The device name: unique per port, prefixed by the driver it needs (a veth port's is the shim's, no DPDK one). */
    public String deviceName()
    {
        return switch (type)
        {
            case VHOST_USER -> "net_vhost_" + name;
            case TAP -> "net_tap_" + name;
            case VETH -> "veth_" + name;
            case DEVARGS -> target.split(",", 2)[0];
        };
    }

    /**
     * A veth port's switch side, the interface its packet sockets read and write: the endpoint's name
     * with "-sw", or for names longer than 12 characters their first 4 and a CRC-32 of the whole, so
     * that it fits the kernel's 15 and stays the same across restarts.
     */
    public String vethSwitchSide()
    {
        if (type != PortType.VETH)
        {
            throw new IllegalStateException("port " + name + " is not a veth port");
        }
        if (target.length() <= 12)
        {
            return target + "-sw";
        }
        final CRC32 crc = new CRC32();
        crc.update(target.getBytes(StandardCharsets.US_ASCII));
        return target.substring(0, 4) + String.format("%08x", crc.getValue()) + "-sw";
    }

    /**
     * The DPDK devargs of a port that is an ethdev (all but a veth port).
     *
     * @param queues tx queues the switch uses on the port (one per PMD thread).
     */
    public String devargs(final int queues)
    {
        return switch (type)
        {
            case VHOST_USER -> deviceName() + ",iface=" + target + ",queues=" + queues + ",client=" + (client ? 1 : 0);
            case TAP -> deviceName() + ",iface=" + target;
            case VETH -> throw new IllegalStateException("veth port " + name + " is the shim's packet-socket port, no DPDK device");
            case DEVARGS -> target;
        };
    }
}
