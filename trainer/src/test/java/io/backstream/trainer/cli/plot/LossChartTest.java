package io.backstream.trainer.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.EpochSummary;
import io.backstream.events.StepLoss;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossChartTest {

    /** A run whose loss falls in a straight line from 2.0 at step 1 to 1.0 at the last step, 1,000 steps an epoch. */
    static RunLoss falling(String id, String optimizer, int steps) {
        RunLoss run = new RunLoss(id);
        double sum = 0;
        for (int s = 1; s <= steps; s++) {
            double loss = 2.0 - (s - 1.0) / (steps - 1);
            run.add(new StepLoss(id, (s - 1) / 1000 + 1, s, loss, optimizer, 0.001, 1, 800, s));
            sum += loss;
            if (s % 1000 == 0) {
                run.add(new EpochSummary(id, s / 1000, 1000, sum, sum / 1000, 800, s));
                sum = 0;
            }
        }
        return run;
    }

    /** The rows of column x inside {@code area} whose pixel is close to {@code colour} (a line's core, not its anti-aliased edge). */
    static List<Integer> rowsOf(BufferedImage image, Color colour, int x, Rectangle area) {
        List<Integer> rows = new java.util.ArrayList<>();
        for (int y = area.y + 1; y < area.y + area.height; y++) {
            Color c = new Color(image.getRGB(x, y));
            int distance = Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen()) + Math.abs(c.getBlue() - colour.getBlue());
            if (distance < 60) rows.add(y);
        }
        return rows;
    }

    @Test
    @DisplayName("a known series becomes a PNG of the asked size whose curve runs in the run's colour from top left to bottom right")
    void knownSeries(@TempDir Path dir) throws Exception {
        LossChart chart = new LossChart(List.of(falling("run-line", "sgd", 5_000)), 900, 600);
        Path png = dir.resolve("loss.png");
        chart.writePng(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(600, image.getHeight());

        Rectangle plot = chart.stepPlot();
        Color colour = LossChart.colour(0);
        double[] ys = new double[11];
        int[] xs = new int[11];
        for (int i = 0; i <= 10; i++) {
            xs[i] = plot.x + 2 + i * (plot.width - 4) / 10;
            List<Integer> rows = rowsOf(image, colour, xs[i], plot);
            assertTrue(!rows.isEmpty(), "the curve crosses column " + xs[i]);
            ys[i] = rows.stream().mapToInt(Integer::intValue).average().orElseThrow();
        }
        // the loss falls from 2.0 to 1.0 over the whole step range, filling the panel's height but for a margin
        assertTrue(ys[0] < plot.y + plot.height * 0.1, "starts at the top: " + ys[0]);
        assertTrue(ys[10] > plot.y + plot.height * 0.9, "ends at the bottom: " + ys[10]);
        for (int i = 1; i < 10; i++) {
            double straight = ys[0] + (ys[10] - ys[0]) * (xs[i] - xs[0]) / (double) (xs[10] - xs[0]);
            assertEquals(straight, ys[i], 3, "a straight line through column " + xs[i]);
        }
        // nothing of the curve above its panel (the title is there)
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < plot.y - 2; y++) assertTrue(image.getRGB(x, y) != colour.getRGB(), "the curve's colour above its panel at " + x + "," + y);
        }
        // the epoch panel: one marker per epoch, five of them
        Rectangle epochs = chart.epochPlot();
        long markers = java.util.stream.IntStream.range(epochs.x, epochs.x + epochs.width)
                .filter(x -> rowsOf(image, colour, x, epochs).size() >= 5).count();
        assertTrue(markers >= 5, "epoch markers drawn: " + markers + " columns");
    }

    @Test
    @DisplayName("several runs get the dashboard's colours in order, each curve drawn")
    void severalRuns() {
        List<RunLoss> runs = List.of(falling("run-a", "sgd", 2_000), falling("run-b", "adam", 3_000), falling("run-c", "rmsprop", 1_000));
        LossChart chart = new LossChart(runs, 1000, 700);
        BufferedImage image = chart.render();
        for (int i = 0; i < runs.size(); i++) {
            Color colour = LossChart.colour(i);
            Rectangle plot = chart.stepPlot();
            long columns = java.util.stream.IntStream.range(plot.x + 1, plot.x + plot.width).filter(x -> !rowsOf(image, colour, x, plot).isEmpty()).count();
            assertTrue(columns > 50, runs.get(i).runId() + " drawn in " + columns + " columns");
        }
        assertEquals(new Color(0x1f77b4), LossChart.colour(0), "tab10 first, as on the dashboard");
    }

    @Test
    @DisplayName("a diverged step (NaN, ∞) breaks the curve and does not stretch the axis")
    void nonFinite() {
        RunLoss run = falling("run-nan", "sgd", 1_000);
        run.add(new StepLoss("run-nan", 1, 1_001, Double.NaN, "sgd", 0.001, 1, 800, 0));
        run.add(new StepLoss("run-nan", 1, 1_002, Double.POSITIVE_INFINITY, "sgd", 0.001, 1, 800, 0));
        LossChart chart = new LossChart(List.of(run), 800, 600);
        BufferedImage image = chart.render();
        Rectangle plot = chart.stepPlot();
        List<Integer> rows = rowsOf(image, LossChart.colour(0), plot.x + plot.width / 2, plot);
        assertTrue(!rows.isEmpty(), "the finite part is drawn to scale");
    }

    @Test
    @DisplayName("the legend names the optimizer; too many runs for the height make the picture taller; nothing to plot is an error")
    void labelsAndLimits() {
        assertEquals("sgd lr 0.001 bs 1 (run-x)", falling("run-x", "sgd", 10).label());
        assertThrows(IllegalArgumentException.class, () -> new LossChart(List.of(), 800, 600));
        assertThrows(IllegalArgumentException.class, () -> new LossChart(List.of(falling("run-x", "sgd", 10)), 200, 600));
        assertEquals(600, new LossChart(List.of(falling("run-x", "sgd", 10)), 800, 600).height());
        List<RunLoss> many = java.util.stream.IntStream.range(0, 200).mapToObj(i -> falling("run-" + i, "sgd", 10)).toList();
        LossChart tall = new LossChart(many, 800, 600);
        assertTrue(tall.height() > 600 && tall.epochPlot().height >= 60, "taller, charts still " + tall.epochPlot().height + " px high");
        assertEquals(tall.height(), tall.render().getHeight());
    }

}
