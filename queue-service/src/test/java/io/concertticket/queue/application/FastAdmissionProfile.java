package io.concertticket.queue.application;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Admission runs on its own, 5 places every 250 ms (20 per second), so waits can be watched end to end in seconds;
 * estimates from the last 5 s of it (20 rounds), so the burst of registrations at the start is soon out of the window.
 */
public class FastAdmissionProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "queue.admission.scheduler-enabled", "true",
                "queue.admission.batch-size", "5",
                "queue.admission.tick", "250ms",
                "queue.cache.refresh-interval", "100ms",
                "queue.estimate.window", "5s");
    }
}
