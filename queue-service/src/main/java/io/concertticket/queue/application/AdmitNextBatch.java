package io.concertticket.queue.application;

import io.concertticket.queue.application.QueueTokens.ActivatedBatch;
import io.concertticket.queue.domain.AdmissionPolicy;
import io.concertticket.queue.domain.DueRoom;
import io.concertticket.queue.domain.SaleControls;
import io.concertticket.queue.domain.TokenSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Admission of one room for one round: the next batch of waiting tokens, in arrival order, becomes
 * ACTIVE, and a TokenActivated per token goes to the outbox in the same transaction. The batch is one
 * statement and its events one insert, whatever its size (per token through entities, admission was
 * the largest share of queue-service's CPU under load: docs/performance.md, finding 4).
 *
 * <p>A round is the start (ms on the database clock) of the current interval of the sale's tick, so a
 * sale whose operator changed its tick keeps getting increasing rounds, now at the new pace.
 *
 * <p>Several replicas: taking a round locks the room's admission row if its {@code last_admission_round < round}.
 * The first replica takes the row lock and records the round; a second one blocks on the lock, then
 * re-reads the row, finds the round taken and does nothing. So a room gets exactly one batch per round
 * however many replicas (or threads) try. Drops of waiting tokens, the opening and operators' changes
 * take the same lock, so neither the sale's controls nor the line's gaps change under an admission: the
 * controls (paused, stopped, batch size, cap) are read after the lock, as committed, on every replica.
 * Registrations take only the room's arrivals lock, so they go on during a round: they only add to the
 * back of the line, and the batch statement reads the line and the latest arrival number in one snapshot.
 */
@ApplicationScoped
public class AdmitNextBatch {

    /** Tokens activated for one room in one round, in arrival order; not claimed when the round was taken or admission is held. */
    public record Admission(long concertId, long round, boolean claimed, List<TokenSnapshot> activated) {
    }

    private final WaitingRooms rooms;
    private final QueueTokens tokens;
    private final SaleControlStore controls;
    private final Sales sales;
    private final TokenEventPublisher events;
    private final UseCaseSettings config;
    private final MeterRegistry meters;

    AdmitNextBatch(WaitingRooms rooms, QueueTokens tokens, SaleControlStore controls, Sales sales,
                   TokenEventPublisher events, UseCaseSettings config, MeterRegistry meters) {
        this.rooms = rooms;
        this.tokens = tokens;
        this.controls = controls;
        this.sales = sales;
        this.events = events;
        this.config = config;
        this.meters = meters;
    }

    /** The current round of the configured tick on the database clock, which all replicas share. */
    @Transactional
    public long currentTick() {
        return rooms.currentRound(config.admission().tick());
    }

    /** Rooms due for admission now, each with its current round (on the grid of its sale's tick). */
    @Transactional
    public List<DueRoom> roomsDue() {
        return rooms.roomsDueForAdmission(config.admission().tick());
    }

    @Transactional
    public Admission admit(long concertId, long round) {
        if (!rooms.lockForRound(concertId, round)) {
            return new Admission(concertId, round, false, List.of());
        }
        if (!saleAdmitsUnderRoomLock(concertId)) {
            // not opened yet, or ended (closing time, or an operator's close committed after this round was listed)
            return new Admission(concertId, round, false, List.of());
        }
        SaleControls sale = controls.current(concertId);
        if (!sale.admits()) {
            // paused or stopped: the round stays untaken, so resuming admits at once, from the head of the line
            return new Admission(concertId, round, false, List.of());
        }
        AdmissionPolicy policy = sale.policy();
        int slots = policy.slots(policy.isCapped() ? tokens.countActive(concertId) : 0);
        ActivatedBatch batch = slots == 0
                ? new ActivatedBatch(List.of(), 0)
                : tokens.activateHeadOfLine(concertId, slots, Instant.now(), config.tokens().activePeriod());
        List<TokenSnapshot> next = batch.activated();
        rooms.takeRound(concertId, round, slots, next.size(), config.estimate().window());
        if (next.isEmpty()) {
            return new Admission(concertId, round, true, List.of());
        }
        events.activated(next);
        // Fewer than asked for means nobody else is waiting: the whole line up to the latest arrival
        // is served (what is left behind are dropped tokens, no longer gaps worth remembering).
        long servedUpTo = next.size() < slots ? batch.lastSeq() : next.get(next.size() - 1).seq();
        rooms.markServed(concertId, servedUpTo);
        // per concert, so an operator sees each sale's admissions per second (tag values bounded by the sales)
        meters.counter("queue.tokens.activated", "concert", Long.toString(concertId)).increment(next.size());
        return new Admission(concertId, round, true, next);
    }

    /** Whether the sale is opened and not ended, on the database clock, as committed once the room's lock is held. */
    private boolean saleAdmitsUnderRoomLock(long concertId) {
        return sales.find(concertId, false)
                .filter(s -> s.sale().openedAt() != null && !s.sale().endedAt(s.now()))
                .isPresent();
    }
}
