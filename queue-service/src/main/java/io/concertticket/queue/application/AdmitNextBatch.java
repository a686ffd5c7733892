package io.concertticket.queue.application;

import io.concertticket.queue.domain.AdmissionPolicy;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.infrastructure.QueueConfig;
import io.concertticket.queue.infrastructure.QueueTokenRepository;
import io.concertticket.queue.infrastructure.WaitingRoomRepository;
import io.concertticket.queue.infrastructure.WaitingRoomRepository.RoomCounters;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Admission of one room for one tick: the next batch of waiting tokens, in arrival order, becomes
 * ACTIVE, and a TokenActivated per token goes to the outbox in the same transaction.
 *
 * <p>Several replicas: claiming the tick is a conditional update of the room row
 * ({@code last_admission_tick < tick}). The first replica takes the row lock and records the tick; a
 * second one blocks on the lock, then re-reads the row, finds the tick taken and does nothing. So a
 * room gets exactly one batch per tick however many replicas (or threads) try. Registrations and
 * drops of waiting tokens take the same row lock, so the line cannot change under an admission.
 */
@ApplicationScoped
public class AdmitNextBatch {

    /** Tokens activated for one room in one tick, in arrival order. */
    public record Admission(long concertId, long tick, boolean claimed, List<QueueToken> activated) {
    }

    private final WaitingRoomRepository rooms;
    private final QueueTokenRepository tokens;
    private final TokenEventPublisher events;
    private final QueueConfig config;
    private final MeterRegistry meters;

    AdmitNextBatch(WaitingRoomRepository rooms, QueueTokenRepository tokens, TokenEventPublisher events, QueueConfig config,
                   MeterRegistry meters) {
        this.rooms = rooms;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
        this.meters = meters;
    }

    /** The current tick number on the database clock, which all replicas share. */
    @Transactional
    public long currentTick() {
        return rooms.currentTick(config.admission().tick());
    }

    @Transactional
    public List<Long> roomsDue(long tick) {
        return rooms.roomsDueForAdmission(tick);
    }

    @Transactional
    public Admission admit(long concertId, long tick) {
        Optional<RoomCounters> claimed = rooms.claimTick(concertId, tick);
        if (claimed.isEmpty()) {
            return new Admission(concertId, tick, false, List.of());
        }
        AdmissionPolicy policy = new AdmissionPolicy(config.admission().batchSize(), config.admission().maxActivePerConcert());
        int slots = policy.slots(policy.isCapped() ? tokens.countActive(concertId) : 0);
        if (slots == 0) {
            return new Admission(concertId, tick, true, List.of());
        }
        List<QueueToken> next = tokens.headOfLine(concertId, slots);
        Instant now = Instant.now();
        for (QueueToken t : next) {
            t.activate(now, config.tokens().activePeriod());
            events.activated(t);
        }
        // Fewer than asked for means nobody else is waiting: the whole line up to the latest arrival
        // is served (what is left behind are dropped tokens, no longer gaps worth remembering).
        long servedUpTo = next.size() < slots ? claimed.get().lastSeq() : next.get(next.size() - 1).seq();
        rooms.markServed(concertId, servedUpTo);
        // per concert, so an operator sees each sale's admissions per second (tag values bounded by the sales)
        meters.counter("queue.tokens.activated", "concert", Long.toString(concertId)).increment(next.size());
        return new Admission(concertId, tick, true, next);
    }
}
