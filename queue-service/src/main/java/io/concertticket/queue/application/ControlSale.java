package io.concertticket.queue.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.events.OutboxPublisher;
import io.concertticket.events.contract.SaleControlEvents;
import io.concertticket.events.contract.SaleControlEvents.SaleControlChanged;
import io.concertticket.queue.application.SaleControlStore.Change;
import io.concertticket.queue.domain.ControlsSnapshot;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.Sale;
import io.concertticket.queue.domain.SaleControls;
import io.concertticket.queue.domain.SaleNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Operators' live controls of one sale: pause, resume, a new pace, "queue everyone", and the record of a
 * close ({@link CloseSale}). Each change takes the room's locks, arrivals and admission (so no admission round is in flight while it commits, and every round after it
 * reads the new controls, on every replica), is recorded with the operator's account, the time and the
 * controls before and after, and is published as SaleControlChanged through the outbox, all in one
 * transaction.
 */
@ApplicationScoped
public class ControlSale {

    /** What an action answers: the recorded change. */
    public record Changed(long changeId, long concertId, String action, String operator, Instant changedAt,
                          ControlsSnapshot before, ControlsSnapshot after, int endedSessions) {
    }

    private final WaitingRooms rooms;
    private final Sales sales;
    private final SaleControlStore controls;
    private final QueueTokens tokens;
    private final TokenEventPublisher tokenEvents;
    private final OutboxPublisher outbox;
    private final ObjectMapper json;

    ControlSale(WaitingRooms rooms, Sales sales, SaleControlStore controls, QueueTokens tokens, TokenEventPublisher tokenEvents,
                OutboxPublisher outbox, ObjectMapper json) {
        this.rooms = rooms;
        this.sales = sales;
        this.controls = controls;
        this.tokens = tokens;
        this.tokenEvents = tokenEvents;
        this.outbox = outbox;
        this.json = json;
    }

    @Transactional
    public Changed pause(long concertId, String operator) {
        return change(concertId, operator, "pause", SaleControls::pause, false);
    }

    @Transactional
    public Changed resume(long concertId, String operator) {
        return change(concertId, operator, "resume", SaleControls::resume, false);
    }

    /** A new batch size, tick or active cap (null keeps a value), from the next round on. */
    @Transactional
    public Changed changePace(long concertId, String operator, Long batchSize, Long tickSeconds, Long maxActive) {
        return change(concertId, operator, "change-pace", c -> c.withPace(batchSize, tickSeconds, maxActive), false);
    }

    /** The emergency stop: nobody admitted from the next round on; with {@code endSessions} the active sessions end too. */
    @Transactional
    public Changed queueEveryone(long concertId, String operator, boolean endSessions) {
        return change(concertId, operator, "queue-everyone", SaleControls::queueEveryone, endSessions);
    }

    /**
     * Ends the sale for good ({@code sale.closed_at}, as its closing time would), recorded and published like
     * the other changes. Idempotent: a closed sale answers the change that closed it, and nothing is recorded
     * again. The waiting are told afterwards ({@link CloseSale}).
     */
    @Transactional
    public Changed close(long concertId, String operator) {
        Sale sale = requireSale(concertId);
        if (sale.closedAt() != null) {
            Optional<Change> closing = controls.latest(concertId, "close");
            if (closing.isPresent()) {
                return changed(closing.get());
            }
        }
        sales.close(concertId);
        SaleControls now = controls.current(concertId);
        return record(concertId, "close", operator, ControlsSnapshot.of(now, sale.closedAt() != null),
                ControlsSnapshot.of(now, true), 0);
    }

    /** The sale's controls as committed (for the operator API). */
    @Transactional
    public ControlsSnapshot current(long concertId) {
        Sale sale = announced(concertId);
        return ControlsSnapshot.of(controls.current(concertId), sale.closedAt() != null);
    }

    /** The sale's recorded changes, newest first. */
    @Transactional
    public List<Changed> history(long concertId, int limit) {
        announced(concertId);
        return controls.changes(concertId, limit).stream().map(this::changed).toList();
    }

    private Changed change(long concertId, String operator, String action, UnaryOperator<SaleControls> how, boolean endSessions) {
        boolean closed = requireSale(concertId).closedAt() != null;
        SaleControls before = controls.lock(concertId);
        SaleControls after = how.apply(before);
        controls.save(concertId, after, before.admission() != after.admission());
        int ended = endSessions ? endActiveSessions(concertId) : 0;
        return record(concertId, action, operator, ControlsSnapshot.of(before, closed), ControlsSnapshot.of(after, closed),
                ended);
    }

    /** Records the change and publishes it as SaleControlChanged, in the caller's transaction. */
    private Changed record(long concertId, String action, String operator, ControlsSnapshot before, ControlsSnapshot after,
                           int ended) {
        Changed changed = changed(controls.record(concertId, action, operator, write(before), write(after), ended));
        outbox.publish(new SaleControlChanged(changed.changeId(), concertId, action, operator, changed.changedAt(),
                published(changed.before()), published(changed.after()), ended));
        return changed;
    }

    /**
     * The announced sale's room then its sale row, locked until commit (the order registration and the opening
     * take them in): no admission round or registration runs while the change commits.
     */
    private Sale requireSale(long concertId) {
        announced(concertId);
        // a sale nobody registered for yet gets its (empty) room here, so its controls can be set before the opening
        rooms.lockOrCreate(concertId);
        return sales.find(concertId, true).orElseThrow().sale();
    }

    /** The announced sale, else 404 (a made-up id creates nothing). */
    private Sale announced(long concertId) {
        return sales.find(concertId, false).orElseThrow(() -> new SaleNotFoundException(concertId)).sale();
    }

    /** Every ACTIVE token of the sale expires (ENDED_BY_OPERATOR); each TokenExpired makes the gateway refuse its access token. */
    private int endActiveSessions(long concertId) {
        List<QueueToken> active = tokens.activeOf(concertId);
        Instant now = Instant.now();
        for (QueueToken t : active) {
            t.expire(ExpiryReason.ENDED_BY_OPERATOR, now);
            tokenEvents.expired(t);
        }
        return active.size();
    }

    private Changed changed(Change c) {
        return new Changed(c.id(), c.concertId(), c.action(), c.operator(), c.changedAt(), read(c.before()), read(c.after()),
                c.endedSessions());
    }

    private static SaleControlEvents.Controls published(ControlsSnapshot c) {
        return new SaleControlEvents.Controls(c.admission().name(), c.batchSize(), c.tickSeconds(), c.maxActive(), c.closed());
    }

    private String write(ControlsSnapshot c) {
        try {
            return json.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ControlsSnapshot read(String s) {
        try {
            return json.readValue(s, ControlsSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
