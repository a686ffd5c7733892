package io.concertticket.gateway.infrastructure;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How far behind the gateway's event loops run, as gauge {@code gateway_event_loop_delay_seconds{loop}}: every
 * 100 ms each loop is given a task due at once, and how late it ran is kept; the gauge is the worst of the last
 * second. Every request, timer and answer of the gateway waits that long on top of its own work: when the machine
 * is saturated, a pool wait of 8 s ends many seconds later (docs/performance.md).
 *
 * <p>Netty's own scheduling on each loop, not {@code vertx.setPeriodic} or a scheduler: the probe must run on the
 * very loops it measures, one task per loop.
 */
@ApplicationScoped
public class EventLoopDelay {

    static final long PERIOD_MILLIS = 100;
    /** Probes per gauge value: the worst of the last second. */
    static final int WINDOW = 10;

    private final Vertx vertx;
    private final MeterRegistry meters;
    private final List<ScheduledFuture<?>> probes = new ArrayList<>();

    public EventLoopDelay(Vertx vertx, MeterRegistry meters) {
        this.vertx = vertx;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        int index = 0;
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            Probe probe = new Probe();
            Gauge.builder("gateway.event.loop.delay", probe, Probe::worstSeconds)
                    .description("How late a task due at once ran on this event loop, the worst of the last second")
                    .baseUnit("seconds")
                    .tag("loop", Integer.toString(index++))
                    .register(meters);
            probes.add(loop.scheduleAtFixedRate(probe::measure, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS));
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        probes.forEach(probe -> probe.cancel(false));
    }

    /**
     * One loop's measurements: a fixed-rate task is due every {@link #PERIOD_MILLIS}; when it runs later than that
     * after the previous run, the loop was busy with other work for the difference.
     */
    static final class Probe {
        private final long[] delays = new long[WINDOW];
        private int next;
        private long lastRun = -1;

        /** On the loop itself: how late this run is against the previous one plus the period. */
        void measure() {
            long now = System.nanoTime();
            long delay = lastRun < 0 ? 0 : Math.max(0, now - lastRun - TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
            lastRun = now;
            synchronized (this) {
                delays[next] = delay;
                next = (next + 1) % WINDOW;
            }
        }

        synchronized double worstSeconds() {
            long worst = 0;
            for (long delay : delays) {
                worst = Math.max(worst, delay);
            }
            return worst / 1e9;
        }
    }
}
