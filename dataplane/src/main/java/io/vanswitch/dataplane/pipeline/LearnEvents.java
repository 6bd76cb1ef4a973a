package io.vanswitch.dataplane.pipeline;

/**
 * Where the packet path reports a MAC it learned or saw move, for the control thread's view of the
 * forwarding table. Implementations must not allocate or block.
 */
@FunctionalInterface
public interface LearnEvents
{
    void onLearned(int vanIndex, long mac, int slot, int generation);
}
