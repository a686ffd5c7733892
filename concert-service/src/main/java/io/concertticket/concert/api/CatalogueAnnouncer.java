package io.concertticket.concert.api;

import io.concertticket.concert.application.RescheduleSale;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** At start: announces the sales of concerts created before sale windows existed (once, see RescheduleSale). */
@ApplicationScoped
public class CatalogueAnnouncer {

    private static final Logger LOG = Logger.getLogger(CatalogueAnnouncer.class);

    void onStart(@Observes StartupEvent ev, RescheduleSale sales) {
        int n = sales.announceUnannounced();
        if (n > 0) {
            LOG.infof("announced the sales of %d concerts created before sale windows existed", n);
        }
    }
}
