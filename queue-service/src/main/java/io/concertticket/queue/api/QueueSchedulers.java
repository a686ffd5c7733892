package io.concertticket.queue.api;

import io.concertticket.queue.application.AdmitNextBatch;
import io.concertticket.queue.application.DropAbandonedTokens;
import io.concertticket.queue.application.EndSales;
import io.concertticket.queue.application.ExpireTimedOutTokens;
import io.concertticket.queue.application.OpenSales;
import io.concertticket.queue.application.UseCaseSettings;
import io.concertticket.queue.domain.DueRoom;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs admission and the expiry sweeps on every replica; the use cases make that safe.
 *
 * <p>Admission checks several times per tick (a quarter of the configured one, between 50 ms and 250 ms,
 * so that a sale an operator gave a tick of 1 s keeps its pace too) whether a room's next round has begun
 * on the database clock; the first replica to see it admits the room's batch, the others find the round
 * taken. Checking more often than once per tick is what keeps a round from being skipped when a replica's
 * timer drifts across a tick boundary. An operator's new tick needs no new timer: each pass reads every
 * sale's tick from the database ({@link AdmitNextBatch#roomsDue()}).
 *
 * <p>The sweeps are Quarkus {@code @Scheduled} jobs ({@code queue.sweep.*}); the admission check has a timer
 * thread of its own, because Quarkus' scheduler fires at most once a second (it looks at its triggers every
 * second), far too coarse for a check every 50-250 ms. The sweeps skip every firing once shutdown has begun
 * ({@code ApplicationNotRunning}): Quarkus' scheduler keeps firing until late in the shutdown, after the
 * database is gone.
 */
@ApplicationScoped
public class QueueSchedulers {

    private static final Logger LOG = Logger.getLogger(QueueSchedulers.class);

    private final AdmitNextBatch admission;
    private final OpenSales openings;
    private final ExpireTimedOutTokens expiry;
    private final DropAbandonedTokens abandon;
    private final EndSales endings;
    private final UseCaseSettings config;
    private ScheduledExecutorService executor;

    QueueSchedulers(AdmitNextBatch admission, OpenSales openings, ExpireTimedOutTokens expiry, DropAbandonedTokens abandon,
                    EndSales endings, UseCaseSettings config) {
        this.admission = admission;
        this.openings = openings;
        this.expiry = expiry;
        this.abandon = abandon;
        this.endings = endings;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        if (config.admission().schedulerEnabled()) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "queue-admission");
                t.setDaemon(true);
                return t;
            });
            long check = Math.max(50, Math.min(250, config.admission().tick().toMillis() / 4));
            executor.scheduleWithFixedDelay(() -> guarded("admission", this::admitDueRooms), check, check, TimeUnit.MILLISECONDS);
        }
    }

    @Scheduled(identity = "queue-expiry-sweep", every = "${queue.sweep.expiry-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void expirySweep() {
        if (config.sweep().enabled()) {
            guarded("expiry sweep", this::expireTimedOut);
        }
    }

    @Scheduled(identity = "queue-abandon-sweep", every = "${queue.sweep.abandon-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void abandonSweep() {
        if (config.sweep().enabled()) {
            guarded("abandon sweep", this::dropAbandoned);
        }
    }

    @Scheduled(identity = "queue-sale-end-sweep", every = "${queue.sweep.expiry-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void saleEndSweep() {
        if (config.sweep().enabled()) {
            guarded("sale end sweep", this::expireWaitingOfEndedSales);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * One admission pass: sales whose opening time has come are opened (their pre-queue shuffled), then every
     * admitting room of an open sale with waiting tokens whose current round is untaken gets its batch.
     */
    public int admitDueRooms() {
        openDueSales();
        int admitted = 0;
        for (DueRoom room : admission.roomsDue()) {
            try {
                admitted += admission.admit(room.concertId(), room.round()).activated().size();
            } catch (RuntimeException e) {
                LOG.warnf("admission of concert %d failed: %s", room.concertId(), e.toString());
            }
        }
        return admitted;
    }

    /** @return how many sales this call opened */
    public int openDueSales() {
        int opened = 0;
        for (long concertId : openings.due()) {
            try {
                opened += openings.open(concertId) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warnf("opening of the sale of concert %d failed: %s", concertId, e.toString());
            }
        }
        return opened;
    }

    /** Tells everyone still waiting for an ended sale (their tokens expire, reason SALE_CLOSED). */
    public int expireWaitingOfEndedSales() {
        int total = 0;
        for (long concertId : endings.endedWithWaiting()) {
            total += endings.expireWaitingIn(concertId);
        }
        return total;
    }

    public int expireTimedOut() {
        int total = 0;
        int n;
        do {
            n = expiry.expireDue();
            total += n;
        } while (n == config.sweep().batchSize());
        return total;
    }

    /**
     * Round robin over the rooms: one batch per room per pass, so a room where thousands gave up at
     * once does not keep the others' abandoned places in their lines meanwhile.
     */
    public int dropAbandoned() {
        int total = 0;
        List<Long> rooms = abandon.roomsWithWaiting();
        while (!rooms.isEmpty()) {
            List<Long> more = new ArrayList<>();
            for (long concertId : rooms) {
                int n = abandon.dropIn(concertId);
                total += n;
                if (n == config.sweep().batchSize()) {
                    more.add(concertId);
                }
            }
            rooms = more;
        }
        return total;
    }

    /** A failed pass is logged and the next one tries again: a timer must never die of one. */
    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s failed: %s", what, e.toString());
        }
    }
}
