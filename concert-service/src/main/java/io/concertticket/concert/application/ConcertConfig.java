package io.concertticket.concert.application;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "concert")
public interface ConcertConfig {

    Reservation reservation();

    interface Reservation {
        /** How long a held seat waits for its payment (env CONCERT_RESERVATION_HOLD_DURATION). */
        @WithDefault("10m")
        Duration holdDuration();

        /** Unexpired holds one user may have at once in one schedule. */
        @WithDefault("4")
        int maxHoldsPerUserPerSchedule();
    }
}
