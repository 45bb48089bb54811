package io.backstream.trainer.cli.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The dashboard's two loss charts drawn with Java2D, for a PNG: loss per step above, running loss per
 * epoch below, one colour per run (the dashboard's palette) and a legend naming each run's optimizer.
 * A step curve of tens of thousands of points is drawn per pixel column (first, lowest, highest and
 * last value of the column), so it looks as the whole curve would and costs as many segments as the
 * chart has columns.
 */
public final class LossChart {

    /** The dashboard's palette (matplotlib's tab10), then hues a golden angle apart. */
    private static final int[] PALETTE = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf, 0x7f7f7f, 0xbcbd22};
    static final Color BACKGROUND = Color.WHITE;
    private static final Color GRID = new Color(0xe6e6e6);
    private static final Color TEXT = new Color(0x222222);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final int LEFT = 80;
    private static final int RIGHT = 24;
    private static final int TITLE_HEIGHT = 28;
    private static final int AXIS_HEIGHT = 42;
    private static final int LEGEND_LINE = 18;

    private final List<RunLoss> runs;
    private final int width;
    private final int height;
    private final Rectangle stepPlot;
    private final Rectangle epochPlot;
    private final int legendTop;

    public LossChart(List<RunLoss> runs, int width, int height) {
        if (runs.isEmpty()) throw new IllegalArgumentException("no runs to plot");
        if (width < 300 || height < 300) throw new IllegalArgumentException("a chart needs at least 300x300 pixels, got " + width + "x" + height);
        this.runs = List.copyOf(runs);
        this.width = width;
        int legend = LEGEND_LINE * legendLines() + 12;
        // many runs: the picture grows taller rather than squeezing the charts under their legend
        this.height = Math.max(height, legend + 2 * (TITLE_HEIGHT + AXIS_HEIGHT) + 240);
        int panels = this.height - legend;
        int stepPanel = panels * 3 / 5;
        this.stepPlot = new Rectangle(LEFT, TITLE_HEIGHT, width - LEFT - RIGHT, stepPanel - TITLE_HEIGHT - AXIS_HEIGHT);
        this.epochPlot = new Rectangle(LEFT, stepPanel + TITLE_HEIGHT, width - LEFT - RIGHT, panels - stepPanel - TITLE_HEIGHT - AXIS_HEIGHT);
        this.legendTop = panels + 6;
    }

    /** The colour of the run at {@code index}. */
    public static Color colour(int index) {
        return index < PALETTE.length ? new Color(PALETTE[index]) : Color.getHSBColor((float) ((index * 137.508) % 360 / 360), 0.75f, 0.7f);
    }

    /** The picture's height: the one asked for, or more if the legend needs it. */
    public int height() {
        return height;
    }

    /** Where the step losses are drawn (for tests: the curve is inside). */
    public Rectangle stepPlot() {
        return new Rectangle(stepPlot);
    }

    /** Where the running losses are drawn. */
    public Rectangle epochPlot() {
        return new Rectangle(epochPlot);
    }

    public BufferedImage render() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            drawSteps(g);
            drawEpochs(g);
            drawLegend(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    public void writePng(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(render(), "png", file.toFile())) throw new IOException("no PNG writer in this JVM");
    }

    private void drawSteps(Graphics2D g) {
        List<RunLoss.Step> all = runs.stream().flatMap(r -> r.steps().stream()).toList();
        Axis x = Axis.of(min(all, s -> s.step()), max(all, s -> s.step()), stepPlot.x, stepPlot.x + stepPlot.width);
        Axis y = Axis.of(min(all, RunLoss.Step::loss), max(all, RunLoss.Step::loss), stepPlot.y + stepPlot.height, stepPlot.y).padded();
        frame(g, stepPlot, x, y, "Loss per step", "step", "loss");
        g.setClip(stepPlot.x - 1, stepPlot.y - 1, stepPlot.width + 2, stepPlot.height + 2);
        for (int i = 0; i < runs.size(); i++) {
            g.setColor(colour(i));
            g.setStroke(new BasicStroke(1.2f));
            g.draw(perColumn(runs.get(i).steps(), x, y));
        }
        g.setClip(null);
    }

    /** The curve through each pixel column's first, lowest, highest and last value; a non-finite loss breaks it. */
    private static Path2D perColumn(List<RunLoss.Step> steps, Axis x, Axis y) {
        Path2D path = new Path2D.Double();
        boolean open = false;
        int column = Integer.MIN_VALUE;
        double first = 0, low = 0, high = 0, last = 0;
        for (RunLoss.Step s : steps) {
            if (!Double.isFinite(s.loss())) {
                if (open) flush(path, column, first, low, high, last);
                open = false;
                column = Integer.MIN_VALUE;
                continue;
            }
            int c = (int) Math.round(x.pixel(s.step()));
            double py = y.pixel(s.loss());
            if (c != column) {
                if (column != Integer.MIN_VALUE) flush(path, column, first, low, high, last);
                if (!open) path.moveTo(c, py);
                open = true;
                column = c;
                first = low = high = last = py;
            } else {
                low = Math.min(low, py);
                high = Math.max(high, py);
                last = py;
            }
        }
        if (open) flush(path, column, first, low, high, last);
        return path;
    }

    private static void flush(Path2D path, int column, double first, double low, double high, double last) {
        path.lineTo(column, first);
        path.lineTo(column, low);
        path.lineTo(column, high);
        path.lineTo(column, last);
    }

    private void drawEpochs(Graphics2D g) {
        List<RunLoss.Epoch> all = runs.stream().flatMap(r -> r.epochs().stream()).filter(e -> Double.isFinite(e.runningLoss())).toList();
        Axis x = Axis.of(all.isEmpty() ? 1 : min(all, e -> e.epoch()) - 0.25, all.isEmpty() ? 2 : max(all, e -> e.epoch()) + 0.25,
                epochPlot.x, epochPlot.x + epochPlot.width);
        Axis y = Axis.of(all.isEmpty() ? 0 : min(all, RunLoss.Epoch::runningLoss), all.isEmpty() ? 1 : max(all, RunLoss.Epoch::runningLoss),
                epochPlot.y + epochPlot.height, epochPlot.y).padded();
        frame(g, epochPlot, x, y, "Running loss per epoch", "epoch", "running loss");
        if (all.isEmpty()) {
            g.setColor(TEXT);
            g.drawString("no epoch finished yet", epochPlot.x + 10, epochPlot.y + 20);
            return;
        }
        for (int i = 0; i < runs.size(); i++) {
            g.setColor(colour(i));
            g.setStroke(new BasicStroke(1.5f));
            Path2D line = new Path2D.Double();
            boolean open = false;
            for (RunLoss.Epoch e : runs.get(i).epochs()) {
                if (!Double.isFinite(e.runningLoss())) {
                    open = false;
                    continue;
                }
                double px = x.pixel(e.epoch());
                double py = y.pixel(e.runningLoss());
                if (open) line.lineTo(px, py);
                else line.moveTo(px, py);
                open = true;
                g.fillOval((int) Math.round(px) - 3, (int) Math.round(py) - 3, 7, 7);
            }
            g.draw(line);
        }
    }

    /** Title, grid, ticks and axis labels of one panel. */
    private void frame(Graphics2D g, Rectangle plot, Axis x, Axis y, String title, String xLabel, String yLabel) {
        g.setFont(TITLE);
        g.setColor(TEXT);
        g.drawString(title, plot.x, plot.y - 9);
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        int xTicks = Math.max(2, plot.width / 110);
        for (double t : x.ticks(xTicks)) {
            boolean whole = Math.abs(t - Math.rint(t)) < 1e-9;
            if (xLabel.equals("epoch") && !whole) continue;   // epochs are whole
            int px = (int) Math.round(x.pixel(t));
            g.setColor(GRID);
            g.drawLine(px, plot.y, px, plot.y + plot.height);
            g.setColor(TEXT);
            String text = xLabel.equals("epoch") ? String.format(Locale.ROOT, "%,d", Math.round(t)) : x.format(t, xTicks);
            g.drawString(text, px - fm.stringWidth(text) / 2, plot.y + plot.height + fm.getAscent() + 4);
        }
        int yTicks = Math.max(2, plot.height / 50);
        for (double t : y.ticks(yTicks)) {
            int py = (int) Math.round(y.pixel(t));
            g.setColor(GRID);
            g.drawLine(plot.x, py, plot.x + plot.width, py);
            g.setColor(TEXT);
            String text = y.format(t, yTicks);
            g.drawString(text, plot.x - fm.stringWidth(text) - 6, py + fm.getAscent() / 2 - 1);
        }
        g.setColor(TEXT);
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        g.drawString(xLabel, plot.x + plot.width / 2 - fm.stringWidth(xLabel) / 2, plot.y + plot.height + 2 * fm.getHeight() + 6);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(plot.y + plot.height / 2 + fm.stringWidth(yLabel) / 2), plot.x - 58);
        rotated.dispose();
    }

    private void drawLegend(Graphics2D g) {
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        List<Point> at = legendLayout(fm);
        for (int i = 0; i < runs.size(); i++) {
            int y = legendTop + fm.getAscent() + at.get(i).y * LEGEND_LINE;
            int x = at.get(i).x;
            g.setColor(colour(i));
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x, y - fm.getAscent() / 2 + 1, x + 20, y - fm.getAscent() / 2 + 1);
            g.setColor(TEXT);
            g.drawString(runs.get(i).label(), x + 26, y);
        }
    }

    /** Where each run's legend entry goes: x in pixels, y in lines; entries wrap at the chart's width. */
    private List<Point> legendLayout(FontMetrics fm) {
        List<Point> at = new ArrayList<>();
        int x = LEFT;
        int line = 0;
        for (RunLoss r : runs) {
            int w = 26 + fm.stringWidth(r.label()) + 18;
            if (x + w > width - RIGHT && x > LEFT) {
                x = LEFT;
                line++;
            }
            at.add(new Point(x, line));
            x += w;
        }
        return at;
    }

    private int legendLines() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            List<Point> at = legendLayout(g.getFontMetrics(FONT));
            return at.get(at.size() - 1).y + 1;
        } finally {
            g.dispose();
        }
    }

    private static <T> double min(List<T> items, ToDoubleFunction<T> value) {
        return items.stream().mapToDouble(value).filter(Double::isFinite).min().orElse(0);
    }

    private static <T> double max(List<T> items, ToDoubleFunction<T> value) {
        return items.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(1);
    }
}
