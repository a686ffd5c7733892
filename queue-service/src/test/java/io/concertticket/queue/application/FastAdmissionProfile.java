package io.concertticket.queue.application;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.time.Duration;
import java.util.Map;

/**
 * Admission runs on its own, 20 places every second, so waits can be watched end to end in seconds; estimates
 * from the last 10 s of it (10 rounds). A tick of a second, not 5 places every 250 ms: a round that starts while
 * admission is starved of CPU for a whole tick is lost, and a loaded build machine starves it for a quarter of a
 * second often, for a second seldom (HonestEstimateTest says what that does to an estimate).
 */
public class FastAdmissionProfile implements QuarkusTestProfile {

    private static final int BATCH = 20;
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration WINDOW = Duration.ofSeconds(10);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "queue.admission.scheduler-enabled", "true",
                "queue.admission.batch-size", Integer.toString(BATCH),
                "queue.admission.tick", TICK.toMillis() + "ms",
                "queue.cache.refresh-interval", "100ms",
                "queue.estimate.window", WINDOW.toMillis() + "ms");
    }
}
