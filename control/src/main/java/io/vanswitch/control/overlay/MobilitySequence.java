package io.vanswitch.control.overlay;

/**
 * The per-MAC mobility sequence number that LEARN signals carry (compare EVPN MAC mobility,
 * RFC 7432 section 15): whenever a MAC turns up at a new host that knew it elsewhere, the new host
 * claims it with a higher number, so the newest location wins wherever the claims meet, in whatever
 * order they arrive.
 * <p>
 * Sequences are 32 bits on the wire and compare with serial-number arithmetic (RFC 1982): a number
 * is newer when it is ahead by less than 2^31, so counting past 0xFFFFFFFF wraps to 0 and 0 is
 * still newer. Two numbers exactly 2^31 apart are neither newer than the other; both sides then
 * keep what they have (a MAC would have to move two billion times for that to matter).
 */
public final class MobilitySequence
{
    /** The sequence of a MAC when no host has claimed it before: where EVPN sends no sequence at all. */
    public static final int INITIAL = 0;

    private MobilitySequence()
    {
    }

    /**
     * @return true when {@code candidate} is a newer claim than {@code current}.
     */
    public static boolean isNewer(final int candidate, final int current)
    {
        return candidate - current > 0;
    }

    /**
     * @return the sequence that supersedes {@code sequence}.
     */
    public static int next(final int sequence)
    {
        return sequence + 1;
    }

    /** As the wire carries it: an unsigned decimal. */
    public static String format(final int sequence)
    {
        return Integer.toUnsignedString(sequence);
    }
}
