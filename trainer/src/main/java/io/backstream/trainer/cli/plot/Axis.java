package io.backstream.trainer.cli.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a chart: a data range mapped onto a pixel range, with round tick values (1, 2 or 5 times
 * a power of ten) the way plotting libraries choose them.
 */
record Axis(double min, double max, int fromPixel, int toPixel) {

    /** A range that shows every value of {@code [lo, hi]}, widened when it is a single value. */
    static Axis of(double lo, double hi, int fromPixel, int toPixel) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        return new Axis(lo, hi, fromPixel, toPixel);
    }

    /** The same axis with 5% of its range added at both ends, so a curve does not run along the frame. */
    Axis padded() {
        double pad = (max - min) * 0.05;
        return new Axis(min - pad, max + pad, fromPixel, toPixel);
    }

    /** The pixel of a value. */
    double pixel(double value) {
        return fromPixel + (value - min) / (max - min) * (toPixel - fromPixel);
    }

    /** Round values inside the range, about {@code count} of them. */
    List<Double> ticks(int count) {
        double step = step(count);
        List<Double> ticks = new ArrayList<>();
        // k * step, not a running sum: 10 * 0.1 is 1.0, ten additions of 0.1 are not
        for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) ticks.add(k == 0 ? 0 : k * step);
        return ticks;
    }

    /** A tick's text: as many decimals as the tick step needs, thousands grouped. */
    String format(double tick, int count) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step(count)) + 1e-9));
        return String.format(Locale.ROOT, "%,." + decimals + "f", tick);
    }

    private double step(int count) {
        double raw = (max - min) / Math.max(1, count);
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / power;
        return (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * power;
    }
}
