package io.vanswitch.perf.report;

import java.awt.Color;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Switch colours from the Okabe-Ito palette, which readers with any common colour-vision deficiency can tell apart.
 * vanswitch is always the same blue and its variants (vanswitch-encrypted, ...) lighter blues, so it is found at a
 * glance; every other switch keeps one colour across all charts of a run.
 */
public final class Palette
{
    public static final Color VANSWITCH = new Color(0x0072B2);

    private static final Color[] VARIANTS = { new Color(0x56B4E9), new Color(0x9AD0F0), new Color(0x3A8FC4) };
    /** Yellow last: it is hard to see against white. */
    private static final Color[] OTHERS =
        {
            new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00), new Color(0xCC79A7), new Color(0x555555),
            new Color(0xF0E442), new Color(0x999999), new Color(0x000000),
        };

    private final Map<String, Color> colours = new HashMap<>();

    /**
     * @param switches every switch of the run, in a fixed order (the order first recorded).
     */
    public Palette(final List<String> switches)
    {
        int variants = 0;
        int others = 0;
        for (final String name : switches)
        {
            if (name.equals(MetricTable.SUBJECT))
            {
                colours.put(name, VANSWITCH);
            }
            else if (name.startsWith(MetricTable.SUBJECT))
            {
                colours.put(name, VARIANTS[variants++ % VARIANTS.length]);
            }
            else
            {
                colours.put(name, OTHERS[others++ % OTHERS.length]);
            }
        }
    }

    public Color colour(final String switchName)
    {
        return colours.getOrDefault(switchName, OTHERS[OTHERS.length - 1]);
    }
}
