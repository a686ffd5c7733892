package io.concertticket.concert.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "demo-data")
public interface DemoDataConfig {

    /** Seed a few concerts into an empty database at start (env DEMO_DATA_ENABLED; run.sh turns it on). */
    @WithDefault("false")
    boolean enabled();
}
