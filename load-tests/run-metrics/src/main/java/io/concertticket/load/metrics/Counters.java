package io.concertticket.load.metrics;

import java.util.List;

/**
 * What a counter did between samples, by Prometheus' rules: a value lower than the one before is a reset (the process
 * restarted and counts from 0 again), so everything it now shows counts as increase; {@code rate} is that increase per
 * second between the first and the last sample of the window. (Prometheus also extrapolates to the window's edges;
 * with a sample every second the difference is at most one second's worth.)
 */
public final class Counters {

    /** A counter's value at a time. */
    public record Point(long millis, double value) {
    }

    private Counters() {
    }

    /** The increase from the first to the last point, resets counted as restarts from 0. */
    public static double increase(List<Point> points) {
        double increase = 0;
        for (int i = 1; i < points.size(); i++) {
            double before = points.get(i - 1).value();
            double now = points.get(i).value();
            increase += now >= before ? now - before : now;
        }
        return increase;
    }

    /** The increase per second over the points; NaN with fewer than two (no rate can be told from one). */
    public static double rate(List<Point> points) {
        if (points.size() < 2) {
            return Double.NaN;
        }
        double seconds = (points.get(points.size() - 1).millis() - points.get(0).millis()) / 1000.0;
        return seconds <= 0 ? Double.NaN : increase(points) / seconds;
    }
}
