package io.vanswitch.perf.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NiceScaleTest
{
    @Test
    void ticksAreRoundStepsFromZeroToAtLeastTheMaximum()
    {
        assertEquals(List.of("0", "2.5", "5", "7.5", "10", "12.5", "15"), NiceScale.of(13.2, 5).labels());
        assertEquals(List.of("0", "0.1", "0.2", "0.3", "0.4"), NiceScale.of(0.35, 4).labels(), "decimal, not binary");
        assertEquals(List.of("0", "2.5", "5", "7.5", "10"), NiceScale.of(9.5, 4).labels());
        assertEquals(List.of("0", "20000", "40000", "60000"), NiceScale.of(55000, 3).labels());
        assertEquals(15.0, NiceScale.of(13.2, 5).top(), 1e-12);
    }

    @Test
    void anAxisWithNothingToShowIsZeroToOne()
    {
        assertEquals(1.0, NiceScale.of(0, 5).top(), 1e-12);
        assertEquals(1.0, NiceScale.of(Double.NaN, 5).top(), 1e-12);
    }
}
