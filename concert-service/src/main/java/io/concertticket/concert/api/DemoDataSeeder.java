package io.concertticket.concert.api;

import io.concertticket.concert.application.SeedDemoData;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

@ApplicationScoped
public class DemoDataSeeder {

    private static final Logger LOG = Logger.getLogger(DemoDataSeeder.class);

    void onStart(@Observes StartupEvent ev, DemoDataConfig config, SeedDemoData seed) {
        if (config.enabled() && seed.seedIfEmpty()) {
            LOG.info("demo data seeded: 4 concerts with schedules and seats");
        }
    }
}
