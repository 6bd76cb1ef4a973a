package io.vanswitch.control.daemon;

import io.vanswitch.dataplane.pmd.PmdCounters;
import io.vanswitch.dataplane.pmd.PmdProxy;
import io.vanswitch.dataplane.underlay.HostResponder;

import java.util.List;

/**
 * The switch's counters as operators see them: each PMD thread counts into its own off-heap block
 * (single writer); this sums the blocks on read, on the control thread.
 */
final class PmdCounterSums
{
    /** Underlay counters by the name `vanctl underlay show` gives them. */
    private static final Object[][] UNDERLAY_COUNTERS = {
        { "encapsulated", PmdCounters.UNDERLAY_ENCAPSULATED },
        { "decapsulated", PmdCounters.UNDERLAY_DECAPSULATED },
        { "flood_copies", PmdCounters.UNDERLAY_FLOOD_COPIES },
        { "signals_received", PmdCounters.UNDERLAY_SIGNALS_RECEIVED },
        { "tx_replies", PmdCounters.UNDERLAY_TX_REPLIES },
        { "neighbor_events_lost", PmdCounters.UNDERLAY_NEIGHBOR_EVENTS_LOST },
        { "drop_oversize", PmdCounters.UNDERLAY_DROP_OVERSIZE },
        { "drop_no_headroom", PmdCounters.UNDERLAY_DROP_NO_HEADROOM },
        { "drop_copy_failed", PmdCounters.UNDERLAY_DROP_COPY_FAILED },
        { "drop_unknown_van", PmdCounters.UNDERLAY_DROP_UNKNOWN_VAN },
        { "drop_unknown_peer", PmdCounters.UNDERLAY_DROP_UNKNOWN_PEER },
        { "drop_van_short", PmdCounters.UNDERLAY_VAN_CHECK_BASE + 1 },
        { "drop_van_bad_version", PmdCounters.UNDERLAY_VAN_CHECK_BASE + 2 },
        { "drop_van_unknown_type", PmdCounters.UNDERLAY_VAN_CHECK_BASE + 3 },
        { "drop_van_bad_inner_length", PmdCounters.UNDERLAY_VAN_CHECK_BASE + 4 },
        { "drop_not_here", PmdCounters.UNDERLAY_DROP_NOT_HERE },
        { "events_lost", PmdCounters.UNDERLAY_EVENTS_LOST },
        { "control_sent", PmdCounters.UNDERLAY_SENT_FOR_CONTROL },
        { "control_send_failed", PmdCounters.UNDERLAY_CONTROL_SEND_FAILED } };

    private final List<PmdProxy> pmds;

    PmdCounterSums(final List<PmdProxy> pmds)
    {
        this.pmds = pmds;
    }

    long port(final int slot, final int counter)
    {
        long sum = 0;
        for (final PmdProxy pmd : pmds)
        {
            sum += pmd.agent().counters().port(slot, counter);
        }
        return sum;
    }

    long van(final int vanIndex, final int counter)
    {
        long sum = 0;
        for (final PmdProxy pmd : pmds)
        {
            sum += pmd.agent().counters().van(vanIndex, counter);
        }
        return sum;
    }

    long underlay(final int counter)
    {
        long sum = 0;
        for (final PmdProxy pmd : pmds)
        {
            sum += pmd.agent().counters().underlay(counter);
        }
        return sum;
    }

    long link(final int link, final int counter)
    {
        long sum = 0;
        for (final PmdProxy pmd : pmds)
        {
            sum += pmd.agent().counters().link(link, counter);
        }
        return sum;
    }

    /** Appends name, value pairs: the underlay port's packets, what it received by kind, the overlay's counters. */
    void appendUnderlay(final List<String> fields)
    {
        fields.add("rx_packets");
        fields.add(Long.toString(port(PmdCounters.UNDERLAY_SLOT, PmdCounters.PORT_RX_PACKETS)));
        fields.add("tx_packets");
        fields.add(Long.toString(port(PmdCounters.UNDERLAY_SLOT, PmdCounters.PORT_TX_PACKETS)));
        for (int code = 0; code < HostResponder.CODE_COUNT; code++)
        {
            fields.add(HostResponder.label(code));
            fields.add(Long.toString(underlay(PmdCounters.UNDERLAY_CODES_BASE + code)));
        }
        for (final Object[] counter : UNDERLAY_COUNTERS)
        {
            fields.add((String)counter[0]);
            fields.add(Long.toString(underlay((Integer)counter[1])));
        }
    }
}
