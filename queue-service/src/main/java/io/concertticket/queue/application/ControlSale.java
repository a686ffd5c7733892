package io.concertticket.queue.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.events.OutboxPublisher;
import io.concertticket.queue.domain.ExpiryReason;
import io.concertticket.queue.domain.QueueToken;
import io.concertticket.queue.domain.SaleControlEvents;
import io.concertticket.queue.domain.SaleControlEvents.Controls;
import io.concertticket.queue.domain.SaleControlEvents.SaleControlChanged;
import io.concertticket.queue.domain.SaleControls;
import io.concertticket.queue.domain.SaleNotFoundException;
import io.concertticket.queue.infrastructure.QueueConfig;
import io.concertticket.queue.infrastructure.QueueTokenRepository;
import io.concertticket.queue.infrastructure.SaleControlRepository;
import io.concertticket.queue.infrastructure.SaleControlRepository.Change;
import io.concertticket.queue.infrastructure.WaitingRoomRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Operators' live controls of one sale: pause, resume, a new pace, "queue everyone", close. Each change
 * takes the room's lock (so no admission round is in flight while it commits, and every round after it
 * reads the new controls, on every replica), is recorded with the operator's account, the time and the
 * controls before and after, and is published as SaleControlChanged through the outbox, all in one
 * transaction.
 */
@ApplicationScoped
public class ControlSale {

    /** What an action answers: the recorded change. */
    public record Changed(long changeId, long concertId, String action, String operator, Instant changedAt, Controls before,
                          Controls after, int endedSessions) {
    }

    private final WaitingRoomRepository rooms;
    private final SaleControlRepository controls;
    private final QueueTokenRepository tokens;
    private final TokenEventPublisher tokenEvents;
    private final OutboxPublisher outbox;
    private final QueueConfig config;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    ControlSale(WaitingRoomRepository rooms, SaleControlRepository controls, QueueTokenRepository tokens, TokenEventPublisher tokenEvents,
                OutboxPublisher outbox, QueueConfig config, ObjectMapper json, MeterRegistry meters) {
        this.rooms = rooms;
        this.controls = controls;
        this.tokens = tokens;
        this.tokenEvents = tokenEvents;
        this.outbox = outbox;
        this.config = config;
        this.json = json;
        this.meters = meters;
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

    /** Closes the sale to new registrations (a control flag registration checks); those waiting are still admitted. */
    @Transactional
    public Changed close(long concertId, String operator) {
        return change(concertId, operator, "close", SaleControls::close, false);
    }

    /** The sale's controls as committed (for the operator API). */
    @Transactional
    public SaleControls current(long concertId) {
        requireSale(concertId);
        return controls.current(concertId);
    }

    /** The sale's recorded changes, newest first. */
    @Transactional
    public List<Changed> history(long concertId, int limit) {
        requireSale(concertId);
        return controls.changes(concertId, limit).stream().map(this::changed).toList();
    }

    private Changed change(long concertId, String operator, String action, UnaryOperator<SaleControls> how, boolean endSessions) {
        requireSale(concertId);
        SaleControls before = controls.lock(concertId);
        SaleControls after = how.apply(before);
        controls.save(concertId, after, before.admission() != after.admission());
        int ended = endSessions ? endActiveSessions(concertId) : 0;
        Change recorded = controls.record(concertId, action, operator, write(Controls.of(before)), write(Controls.of(after)), ended);
        Changed changed = changed(recorded);
        outbox.publish(config.topics().saleControlEvents(), Long.toString(concertId), SaleControlEvents.CHANGED, "sale/" + concertId,
                SaleControlEvents.VERSION, new SaleControlChanged(changed.changeId(), concertId, action, operator, changed.changedAt(),
                        changed.before(), changed.after(), ended));
        return changed;
    }

    /** The sale's room, locked until commit: no admission round runs while the change commits. */
    private void requireSale(long concertId) {
        if (!rooms.lock(concertId)) {
            throw new SaleNotFoundException(concertId);
        }
    }

    /** Every ACTIVE token of the sale expires (ENDED_BY_OPERATOR); each TokenExpired makes the gateway refuse its access token. */
    private int endActiveSessions(long concertId) {
        List<QueueToken> active = tokens.activeOf(concertId);
        Instant now = Instant.now();
        for (QueueToken t : active) {
            t.expire(ExpiryReason.ENDED_BY_OPERATOR, now);
            tokenEvents.expired(t);
        }
        meters.counter("queue.tokens.expired", "reason", ExpiryReason.ENDED_BY_OPERATOR.name()).increment(active.size());
        return active.size();
    }

    private Changed changed(Change c) {
        return new Changed(c.id(), c.concertId(), c.action(), c.operator(), c.changedAt(), read(c.before()), read(c.after()),
                c.endedSessions());
    }

    private String write(Controls c) {
        try {
            return json.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Controls read(String s) {
        try {
            return json.readValue(s, Controls.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
