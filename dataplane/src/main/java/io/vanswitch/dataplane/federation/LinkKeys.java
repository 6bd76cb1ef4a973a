package io.vanswitch.dataplane.federation;

import io.vanswitch.dataplane.pmd.PmdCounters;

/**
 * One PMD's keys for the peer proxies, by link number: a sealer per link for what this PMD sends
 * (its own nonce lane, so PMDs never share a nonce) and an opener per link for what it receives.
 * Changed only by commands on the PMD's thread (single writer); read per packet without locks.
 */
public final class LinkKeys
{
    private final FrameSealer[] sealers = new FrameSealer[PmdCounters.MAX_LINKS];
    private final FrameOpener[] openers = new FrameOpener[PmdCounters.MAX_LINKS];
    private final int lane;

    /**
     * @param lane this PMD's nonce lane (its index).
     */
    public LinkKeys(final int lane)
    {
        this.lane = lane;
    }

    /** @return the link's sealer, or null before a key was agreed. */
    public FrameSealer sealer(final int link)
    {
        return sealers[link];
    }

    /** @return the link's opener, or null before a key was agreed. */
    public FrameOpener opener(final int link)
    {
        return openers[link];
    }

    /** The key this PMD seals with from now on (the peer already opens with it). */
    public void installTxKey(final int link, final SealKey key)
    {
        FrameSealer sealer = sealers[link];
        if (null == sealer)
        {
            sealer = new FrameSealer();
            sealers[link] = sealer;
        }
        sealer.rekey(key, lane);
    }

    /** A key the peer will seal with: the former one stays valid for frames in flight. */
    public void installRxKey(final int link, final SealKey key)
    {
        FrameOpener opener = openers[link];
        if (null == opener)
        {
            opener = new FrameOpener();
            openers[link] = opener;
        }
        opener.install(key);
    }

    /** The link is gone (or its session ended): no more sealing or opening under its keys. */
    public void clear(final int link)
    {
        if (null != sealers[link])
        {
            sealers[link].close();
            sealers[link] = null;
        }
        if (null != openers[link])
        {
            openers[link].close();
            openers[link] = null;
        }
    }
}
