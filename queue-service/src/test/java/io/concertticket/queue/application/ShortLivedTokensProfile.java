package io.concertticket.queue.application;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Seconds instead of minutes, with the sweeps running on their own, so expiry can be watched end to end. */
public class ShortLivedTokensProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "queue.tokens.active-period", "3s",
                "queue.tokens.abandon-after", "6s",
                "queue.admission.max-active-per-concert", "30",
                "queue.sweep.enabled", "true",
                "queue.sweep.expiry-interval", "1s", // the scheduler's finest interval
                "queue.sweep.abandon-interval", "1s",
                "queue.cache.poll-flush-interval", "200ms");
    }
}
