package io.vanswitch.perf.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartRendererTest
{
    /** A message-size sweep: seven numeric x values, drawn as lines over a log2 axis. */
    private static final String SWEEP = """
        sweep\tkernel\t1024\ttcp_gbps\t0.5\t
        sweep\tvanswitch\t1024\ttcp_gbps\t0.7\t
        sweep\tkernel\t2048\ttcp_gbps\t1.0\t
        sweep\tvanswitch\t2048\ttcp_gbps\t1.3\t
        sweep\tkernel\t4096\ttcp_gbps\t2.1\t
        sweep\tvanswitch\t8192\ttcp_gbps\t5.0\t
        sweep\tkernel\t16384\ttcp_gbps\t8.0\t
        sweep\tvanswitch\t16384\ttcp_gbps\t9.0\t
        """;

    @TempDir
    Path dir;

    @BeforeAll
    static void headless()
    {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void oneValidPngPerScenarioAndMetricOfTheExpectedSize() throws IOException
    {
        final List<Path> charts = ChartRenderer.writeAll(Fixtures.report(Fixtures.standard(dir)), dir);
        assertEquals(List.of(dir.resolve("charts/local-loop-mpps.png"), dir.resolve("charts/latency-p99_us.png")), charts);
        for (final Path chart : charts)
        {
            final BufferedImage image = ImageIO.read(chart.toFile());
            assertNotNull(image, chart + " is a PNG");
            assertEquals(ChartRenderer.WIDTH, image.getWidth());
            assertEquals(ChartRenderer.HEIGHT, image.getHeight());
            assertEquals(0xFFFFFF, image.getRGB(2, 2) & 0xFFFFFF, "white background");
            assertTrue(pixels(image, Palette.VANSWITCH.getRGB()) > 500, "vanswitch drawn in its colour in " + chart);
        }
    }

    @Test
    void aNumericSweepOfFiveOrMoreIsDrawnAsLinesOverALog2Axis() throws IOException
    {
        Fixtures.write(dir, SWEEP + "few\tvanswitch\t64\tmpps\t1\t\nfew\tvanswitch\t128\tmpps\t1\t\n" +
            "named\tvanswitch\t64\tmpps\t1\t\nnamed\tvanswitch\timix\tmpps\t1\t\nnamed\tvanswitch\t128\tmpps\t1\t\n" +
            "named\tvanswitch\t256\tmpps\t1\t\nnamed\tvanswitch\t512\tmpps\t1\t\n", null, null);
        final Report report = Fixtures.report(dir);
        assertTrue(ChartRenderer.isSweep(report.scenarios().get(0).firstMetric()));
        assertFalse(ChartRenderer.isSweep(report.scenarios().get(1).firstMetric()), "fewer than five");
        assertFalse(ChartRenderer.isSweep(report.scenarios().get(2).firstMetric()), "imix is not a number");
        final List<Path> charts = ChartRenderer.writeAll(report, dir);
        final BufferedImage sweep = ImageIO.read(charts.getFirst().toFile());
        assertEquals(ChartRenderer.WIDTH, sweep.getWidth());
        assertTrue(pixels(sweep, Palette.VANSWITCH.getRGB()) > 200, "vanswitch's line");
    }

    @Test
    void aSwitchKeepsItsColourInEveryChartAndVanswitchIsAlwaysBlue()
    {
        final Palette palette = new Palette(List.of("ovs", "vanswitch-encrypted", "kernel", "vanswitch"));
        assertEquals(Palette.VANSWITCH, palette.colour("vanswitch"));
        assertFalse(palette.colour("ovs").equals(palette.colour("kernel")));
        assertFalse(palette.colour("vanswitch-encrypted").equals(Palette.VANSWITCH));
        assertEquals(palette.colour("ovs"), new Palette(List.of("ovs", "vanswitch")).colour("ovs"));
    }

    @Test
    void unsafeNamesMakeSafeFileNames() throws IOException
    {
        Fixtures.write(dir, "../a b\tvanswitch\t64\tp99/us\t1\t\n", null, null);
        final List<Path> charts = ChartRenderer.writeAll(Fixtures.report(dir), dir);
        assertEquals(List.of(dir.resolve("charts/_.._a_b-p99_us.png")), charts);
        assertTrue(Files.isRegularFile(charts.getFirst()));
    }

    private static int pixels(final BufferedImage image, final int argb)
    {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                n += (image.getRGB(x, y) & 0xFFFFFF) == (argb & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }
}
