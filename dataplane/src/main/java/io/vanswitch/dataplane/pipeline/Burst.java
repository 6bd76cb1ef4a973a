package io.vanswitch.dataplane.pipeline;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The vector that flows through the stages: up to {@link #MAX} mbufs received from one port, with
 * what each stage decided for each of them. Allocated once per PMD thread and re-used.
 */
public final class Burst
{
    public static final int MAX = 32;

    /** Action: the frame was dropped (and counted) by an earlier stage. */
    public static final int DROP = -1;
    /** Action: flood to the VAN's other ports. */
    public static final int FLOOD = -2;
    /** Action: answered in place (ARP proxy): send back on the ingress port. */
    public static final int REPLY = -3;

    /** Native array of mbuf pointers: where rx_burst writes. */
    final UnsafeBuffer rxArray = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX * Long.BYTES, 64));
    final long[] mbufs = new long[MAX];
    final long[] destinations = new long[MAX];
    final int[] lengths = new int[MAX];
    /** Per frame: an egress slot (>= 0), {@link #FLOOD} or {@link #DROP}. */
    final int[] actions = new int[MAX];
    int count;
    PortBinding ingress;

    public int count()
    {
        return count;
    }

    public long mbuf(final int i)
    {
        return mbufs[i];
    }

    public long rxArrayAddress()
    {
        return rxArray.addressOffset();
    }

    /** Copies the pointers rx_burst wrote into the Java-side array the stages iterate. */
    public void load(final PortBinding ingress, final int count)
    {
        this.ingress = ingress;
        this.count = count;
        for (int i = 0; i < count; i++)
        {
            mbufs[i] = rxArray.getLong(i * Long.BYTES);
        }
    }
}
