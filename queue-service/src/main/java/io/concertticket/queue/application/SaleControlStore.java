package io.concertticket.queue.application;

import io.concertticket.queue.domain.SaleControls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The live controls of each sale and the record of operators' changes, in the database, inside the caller's
 * transaction. A sale no operator has acted on runs at the configured pace.
 */
public interface SaleControlStore {

    /** One recorded change; {@code before} and {@code after} are the controls as JSON. */
    record Change(long id, long concertId, String action, String operator, Instant changedAt, String before, String after,
                  int endedSessions) {
    }

    /** The sale's controls as they are committed now (the configured ones when no operator has acted). */
    SaleControls current(long concertId);

    /** The sale's controls, locked until commit. */
    SaleControls lock(long concertId);

    /** Stores the controls of a locked sale; a change of the admission state restarts the observed rate. */
    void save(long concertId, SaleControls controls, boolean admissionChanged);

    Change record(long concertId, String action, String operator, String before, String after, int endedSessions);

    /** The sale's latest change by {@code action}, if any. */
    Optional<Change> latest(long concertId, String action);

    /** The sale's changes, newest first. */
    List<Change> changes(long concertId, int limit);
}
