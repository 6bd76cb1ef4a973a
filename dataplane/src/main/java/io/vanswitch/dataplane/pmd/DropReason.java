package io.vanswitch.dataplane.pmd;

/**
 * Why the packet path dropped a frame. Each reason is a counter per port (see PmdCounters);
 * the label is what operators see in {@code vanctl stats}.
 */
public enum DropReason
{
    /** Shorter than an Ethernet header. */
    RUNT("runt"),
    /** Source MAC is a group (multicast/broadcast) address or zero. */
    INVALID_SOURCE_MAC("invalid_source_mac"),
    /** The port has an assigned MAC and the frame's source is another one (source identifiable). */
    SOURCE_MAC_MISMATCH("source_mac_mismatch"),
    /** The destination was learned on the port the frame came from. */
    SAME_PORT("same_port"),
    /** Flooded in a VAN where no other port exists. */
    NO_DESTINATION("no_destination"),
    /** The egress queue did not take the frame (peer gone or queue full). */
    TX_FAILED("tx_failed"),
    /**
     * A frame from a veth port whose checksum or segmentation the switch had to do for its egress
     * could not be done: no mbufs, more than {@code OutputStage.MAX_SEGMENTS} segments, or headers
     * that contradict the request.
     */
    OFFLOAD_FAILED("offload_failed");

    private static final DropReason[] VALUES = values();

    private final String label;

    DropReason(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    public static int count()
    {
        return VALUES.length;
    }

    public static DropReason get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
