package io.vanswitch.perf.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;


/**
 * The chart of one metric of one scenario, drawn with Java2D (headless): a grouped bar chart, one group per x and
 * one bar per switch, or, for a sweep over five or more numeric x values (message sizes), a line per switch over a
 * log2 x axis, where bars would hide the trend. Values are written on the bars and points, the y axis starts at 0.
 */
public final class ChartRenderer
{
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;
    /** From this many numeric x values on, a sweep is drawn as lines. */
    static final int LINE_FROM = 5;

    private static final int LEFT = 86;
    private static final int RIGHT = 24;
    private static final int BOTTOM = 66;
    private static final int LEGEND_TOP = 42;
    private static final int LEGEND_ROW = 18;
    private static final int SWATCH = 12;
    private static final Color TEXT = new Color(0x222222);
    private static final Color MUTED = new Color(0x777777);
    private static final Color GRID = new Color(0xE2E2E2);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font VALUE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final Palette palette;

    public ChartRenderer(final Palette palette)
    {
        this.palette = palette;
    }

    /**
     * Writes every chart of the report into {@code dir}/charts.
     *
     * @return the files written.
     */
    public static List<Path> writeAll(final Report report, final Path dir) throws IOException
    {
        final ChartRenderer renderer = new ChartRenderer(new Palette(report.switches()));
        final List<Path> files = new ArrayList<>();
        Files.createDirectories(dir.resolve(ReportFiles.CHARTS));
        for (final ScenarioReport scenario : report.scenarios())
        {
            for (final MetricTable table : scenario.metrics())
            {
                final Path file = dir.resolve(ReportFiles.chart(scenario.name(), table.metric()));
                if (!ImageIO.write(renderer.render(scenario.info(), table), "png", file.toFile()))
                {
                    throw new IOException("no PNG writer in this JDK");
                }
                files.add(file);
            }
        }
        return files;
    }

    /** Whether the table is a numeric sweep drawn as lines over a log2 axis. */
    public static boolean isSweep(final MetricTable table)
    {
        if (table.xs().size() < LINE_FROM)
        {
            return false;
        }
        for (final String x : table.xs())
        {
            if (Double.isNaN(number(x)) || number(x) <= 0)
            {
                return false;
            }
        }
        return true;
    }

    public BufferedImage render(final ScenarioInfo info, final MetricTable table)
    {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            title(g, info.title());
            final int legendBottom = legend(g, table.switches());
            final Rectangle plot = new Rectangle(LEFT, legendBottom + 14, WIDTH - LEFT - RIGHT, HEIGHT - BOTTOM - legendBottom - 14);
            final boolean sweep = isSweep(table);
            final NiceScale scale = scale(g, table, plot, sweep);
            yAxis(g, plot, scale, MetricUnits.label(table.metric()));
            if (sweep)
            {
                lines(g, plot, scale, table);
            }
            else
            {
                bars(g, plot, scale, table);
            }
            g.setColor(TEXT);
            g.setStroke(new BasicStroke(1f));
            g.draw(new Line2D.Double(plot.x, plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));
            g.setFont(AXIS_FONT);
            final String xLabel = (info.xLabel().isEmpty() ? "x" : info.xLabel()) + (sweep ? " (log2 scale)" : "");
            centred(g, xLabel, plot.getCenterX(), HEIGHT - 16);
            if (noValues(table))
            {
                g.setColor(MUTED);
                centred(g, "no values measured", plot.getCenterX(), plot.getCenterY());
            }
        }
        finally
        {
            g.dispose();
        }
        return image;
    }

    private static void title(final Graphics2D g, final String title)
    {
        // shrink a long title rather than cut it
        Font font = TITLE_FONT;
        while (g.getFontMetrics(font).stringWidth(title) > WIDTH - 20 && font.getSize() > 9)
        {
            font = font.deriveFont(font.getSize2D() - 1);
        }
        g.setFont(font);
        g.setColor(TEXT);
        centred(g, title, WIDTH / 2.0, 26);
    }

    /** One row of swatches and names under the title, wrapped when it is too wide. @return its bottom. */
    private int legend(final Graphics2D g, final List<String> switches)
    {
        g.setFont(TICK_FONT);
        final FontMetrics fm = g.getFontMetrics();
        int x = LEFT;
        int y = LEGEND_TOP;
        for (final String name : switches)
        {
            final int width = SWATCH + 6 + fm.stringWidth(name) + 18;
            if (x + width > WIDTH - RIGHT && x > LEFT)
            {
                x = LEFT;
                y += LEGEND_ROW;
            }
            g.setColor(palette.colour(name));
            g.fillRect(x, y, SWATCH, SWATCH);
            g.setColor(TEXT);
            g.drawString(name, x + SWATCH + 6, y + SWATCH - 1);
            x += width;
        }
        return y + LEGEND_ROW;
    }

    /**
     * The y axis leaves room above the highest bar for its label: a label's height, or its width when labels have
     * to stand upright on narrow bars.
     */
    private static NiceScale scale(final Graphics2D g, final MetricTable table, final Rectangle plot, final boolean sweep)
    {
        final FontMetrics fm = g.getFontMetrics(VALUE_FONT);
        int widest = 0;
        for (int x = 0; x < table.xs().size(); x++)
        {
            for (int s = 0; s < table.switches().size(); s++)
            {
                final Cell cell = table.cell(x, s);
                if (null != cell && cell.measured())
                {
                    widest = Math.max(widest, fm.stringWidth(Numbers.label(cell.value())));
                }
            }
        }
        final boolean upright = !sweep && widest > barWidth(table, plot) - 2;
        final int room = (upright ? widest : fm.getHeight()) + 10;
        return NiceScale.of(table.max() * plot.height / Math.max(1.0, plot.height - room), 5);
    }

    private static void yAxis(final Graphics2D g, final Rectangle plot, final NiceScale scale, final String label)
    {
        g.setFont(TICK_FONT);
        final FontMetrics fm = g.getFontMetrics();
        final List<Double> ticks = scale.ticks();
        final List<String> labels = scale.labels();
        for (int i = 0; i < ticks.size(); i++)
        {
            final double y = y(plot, scale, ticks.get(i));
            g.setColor(GRID);
            g.draw(new Line2D.Double(plot.x, y, plot.getMaxX(), y));
            g.setColor(TEXT);
            g.drawString(labels.get(i), plot.x - 8 - fm.stringWidth(labels.get(i)), (float)(y + fm.getAscent() / 2.0 - 1));
        }
        g.draw(new Line2D.Double(plot.x, plot.y, plot.x, plot.getMaxY()));
        g.setFont(AXIS_FONT);
        final AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        // rotated a quarter turn anticlockwise, (x, y) on screen is (-y, x) in the drawing's coordinates
        centred(g, label, -plot.getCenterY(), 22);
        g.setTransform(saved);
    }

    private void bars(final Graphics2D g, final Rectangle plot, final NiceScale scale, final MetricTable table)
    {
        final int groups = table.xs().size();
        final double group = plot.width / (double)groups;
        final double bar = barWidth(table, plot);
        final double inset = (group - bar * table.switches().size()) / 2;
        for (int x = 0; x < groups; x++)
        {
            final double left = plot.x + x * group + inset;
            for (int s = 0; s < table.switches().size(); s++)
            {
                final Cell cell = table.cell(x, s);
                final double centre = left + (s + 0.5) * bar;
                if (null == cell || !cell.measured())
                {
                    g.setColor(MUTED);
                    g.setFont(VALUE_FONT);
                    centred(g, Numbers.MISSING, centre, plot.getMaxY() - 4);
                    continue;
                }
                final double top = y(plot, scale, Math.max(0, cell.value().doubleValue()));
                g.setColor(palette.colour(table.switches().get(s)));
                g.fill(new Rectangle2D.Double(left + s * bar + 1, top, Math.max(1, bar - 2), plot.getMaxY() - top));
                valueLabel(g, Numbers.label(cell.value()), centre, top, bar - 2);
            }
            g.setColor(TEXT);
            g.setFont(TICK_FONT);
            centred(g, table.xs().get(x), plot.x + (x + 0.5) * group, plot.getMaxY() + 18);
        }
    }

    /** Bars share 80% of their group's width, at most 90 pixels each. */
    private static double barWidth(final MetricTable table, final Rectangle plot)
    {
        final double group = plot.width / (double)Math.max(1, table.xs().size());
        return Math.min(90, group * 0.8 / Math.max(1, table.switches().size()));
    }

    private static void valueLabel(final Graphics2D g, final String label, final double centre, final double top, final double room)
    {
        g.setColor(TEXT);
        g.setFont(VALUE_FONT);
        final FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(label) <= room)
        {
            centred(g, label, centre, top - 4);
            return;
        }
        final AffineTransform saved = g.getTransform();
        g.translate(centre + fm.getAscent() / 2.0 - 1, top - 4);
        g.rotate(-Math.PI / 2);
        g.drawString(label, 0, 0);
        g.setTransform(saved);
    }

    private void lines(final Graphics2D g, final Rectangle plot, final NiceScale scale, final MetricTable table)
    {
        final List<Integer> order = new ArrayList<>();
        for (int x = 0; x < table.xs().size(); x++)
        {
            order.add(x);
        }
        order.sort(Comparator.comparingDouble(x -> number(table.xs().get(x))));
        final double lo = log2(number(table.xs().get(order.getFirst())));
        final double hi = log2(number(table.xs().get(order.getLast())));
        final double pad = hi > lo ? (hi - lo) * 0.05 : 1;
        final double[] px = new double[table.xs().size()];
        for (int x = 0; x < px.length; x++)
        {
            px[x] = plot.x + (log2(number(table.xs().get(x))) - lo + pad) / (hi - lo + 2 * pad) * plot.width;
        }
        xTicks(g, plot, table, order, px);
        final double[][] py = new double[table.switches().size()][table.xs().size()];
        final List<Rectangle2D> occupied = new ArrayList<>();
        for (int s = 0; s < table.switches().size(); s++)
        {
            g.setColor(palette.colour(table.switches().get(s)));
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double path = null;
            for (final int x : order)
            {
                final Cell cell = table.cell(x, s);
                py[s][x] = Double.NaN;
                if (null == cell || !cell.measured())
                {
                    // a gap in the line where nothing was measured, rather than a line across it
                    path = draw(g, path);
                    continue;
                }
                py[s][x] = y(plot, scale, Math.max(0, cell.value().doubleValue()));
                if (null == path)
                {
                    path = new Path2D.Double();
                    path.moveTo(px[x], py[s][x]);
                }
                else
                {
                    path.lineTo(px[x], py[s][x]);
                }
            }
            draw(g, path);
        }
        for (int s = 0; s < table.switches().size(); s++)
        {
            g.setColor(palette.colour(table.switches().get(s)));
            for (final int x : order)
            {
                if (!Double.isNaN(py[s][x]))
                {
                    final Shape marker = marker(s, px[x], py[s][x]);
                    g.fill(marker);
                    occupied.add(marker.getBounds2D());
                }
            }
        }
        pointLabels(g, plot, table, px, py, occupied);
    }

    /**
     * Values next to their points, above or else below, vanswitch's first; a label that would overprint another
     * label, a marker or the axis is left out (the table in report.md has every value).
     */
    private static void pointLabels(
        final Graphics2D g,
        final Rectangle plot,
        final MetricTable table,
        final double[] px,
        final double[][] py,
        final List<Rectangle2D> occupied)
    {
        g.setColor(TEXT);
        g.setFont(VALUE_FONT);
        final FontMetrics fm = g.getFontMetrics();
        final List<Integer> series = new ArrayList<>();
        for (int s = 0; s < table.switches().size(); s++)
        {
            series.add(s);
        }
        series.sort(Comparator.comparing(s -> !MetricTable.SUBJECT.equals(table.switches().get(s))));
        for (final int s : series)
        {
            for (int x = 0; x < px.length; x++)
            {
                if (Double.isNaN(py[s][x]))
                {
                    continue;
                }
                final String label = Numbers.label(table.cell(x, s).value());
                final double width = fm.stringWidth(label);
                for (final double baseline : new double[]{ py[s][x] - 8, py[s][x] + 8 + fm.getAscent() })
                {
                    final Rectangle2D box = new Rectangle2D.Double(
                        px[x] - width / 2 - 1, baseline - fm.getAscent(), width + 2, fm.getAscent() + fm.getDescent());
                    if (box.getMinY() >= plot.y - 4 && box.getMaxY() <= plot.getMaxY() - 1 && box.getMaxX() <= WIDTH &&
                        occupied.stream().noneMatch(box::intersects))
                    {
                        g.drawString(label, (float)(px[x] - width / 2), (float)baseline);
                        occupied.add(box);
                        break;
                    }
                }
            }
        }
    }

    private static Path2D.Double draw(final Graphics2D g, final Path2D.Double path)
    {
        if (null != path)
        {
            g.draw(path);
        }
        return null;
    }

    /** Markers differ in shape as well as colour: a second cue for readers who cannot tell the colours apart. */
    private static Shape marker(final int series, final double x, final double y)
    {
        final double r = 4.5;
        return switch (series % 4)
        {
            case 0 -> new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
            case 1 -> new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r);
            case 2 ->
            {
                final Path2D.Double triangle = new Path2D.Double();
                triangle.moveTo(x, y - r - 1);
                triangle.lineTo(x + r + 1, y + r);
                triangle.lineTo(x - r - 1, y + r);
                triangle.closePath();
                yield triangle;
            }
            default ->
            {
                final Path2D.Double diamond = new Path2D.Double();
                diamond.moveTo(x, y - r - 1);
                diamond.lineTo(x + r + 1, y);
                diamond.lineTo(x, y + r + 1);
                diamond.lineTo(x - r - 1, y);
                diamond.closePath();
                yield diamond;
            }
        };
    }

    /** A tick at every measured x; a label that would overprint its left neighbour's is left out. */
    private static void xTicks(final Graphics2D g, final Rectangle plot, final MetricTable table, final List<Integer> order, final double[] px)
    {
        g.setFont(TICK_FONT);
        final FontMetrics fm = g.getFontMetrics();
        double lastRight = Double.NEGATIVE_INFINITY;
        for (final int x : order)
        {
            g.setColor(GRID);
            g.draw(new Line2D.Double(px[x], plot.y, px[x], plot.getMaxY()));
            g.setColor(TEXT);
            g.draw(new Line2D.Double(px[x], plot.getMaxY(), px[x], plot.getMaxY() + 4));
            final String label = table.xs().get(x);
            final double half = fm.stringWidth(label) / 2.0;
            if (px[x] - half > lastRight + 6)
            {
                centred(g, label, px[x], plot.getMaxY() + 18);
                lastRight = px[x] + half;
            }
        }
    }

    private static double y(final Rectangle plot, final NiceScale scale, final double value)
    {
        return plot.getMaxY() - value / scale.top() * plot.height;
    }

    private static void centred(final Graphics2D g, final String text, final double x, final double baseline)
    {
        g.drawString(text, (float)(x - g.getFontMetrics().stringWidth(text) / 2.0), (float)baseline);
    }

    private static boolean noValues(final MetricTable table)
    {
        for (int x = 0; x < table.xs().size(); x++)
        {
            for (int s = 0; s < table.switches().size(); s++)
            {
                final Cell cell = table.cell(x, s);
                if (null != cell && cell.measured())
                {
                    return false;
                }
            }
        }
        return true;
    }

    /** A plain number such as "65536" or "1.5"; NaN for anything else ("imix", "50%", and what Double would take: "NaN", "1d"). */
    private static double number(final String x)
    {
        return x.matches("[0-9]{1,15}(\\.[0-9]{1,15})?") ? Double.parseDouble(x) : Double.NaN;
    }

    private static double log2(final double v)
    {
        return Math.log(v) / Math.log(2);
    }
}
