package io.vanswitch.control.config;

/**
 * How a port attaches: a VM through vhost-user, a kernel endpoint through TAP or a veth pair, or any
 * DPDK device.
 */
public enum PortType
{
    VHOST_USER("vhost-user"),
    TAP("tap"),
    VETH("veth"),
    DEVARGS("devargs");

    private final String label;

    PortType(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    public static PortType fromLabel(final String label)
    {
        for (final PortType type : values())
        {
            if (type.label.equals(label))
            {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown port type '" + label + "': expected vhost-user, tap, veth or devargs");
    }
}
