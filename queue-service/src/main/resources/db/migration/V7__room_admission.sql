-- Admission's progress in a row of its own (issue 17, docs/performance.md finding 4). Registration writes the
-- room's arrival counters (waiting_room.last_seq, pre_queued) under the waiting_room row's lock; an admission
-- round writes how far the line is served and which round it took under this row's lock. So admitting a batch
-- no longer holds up registration (it did: both updated the one room row, and registrations queued for its lock
-- while a round ran). Whatever changes the line as a whole (an operator's change or close, the opening, drops of
-- waiting tokens) takes both, waiting_room first.
--   served_up_to          every token with seq <= served_up_to has left the line (activated or dropped)
--   last_admission_round  the latest admission round taken (one batch per round, whatever the replicas)
CREATE TABLE room_admission (
    concert_id           BIGINT PRIMARY KEY,
    served_up_to         BIGINT NOT NULL DEFAULT 0,
    last_admission_round BIGINT NOT NULL DEFAULT -1,
    -- stamped like waiting_room's: the read model's change feed reads both
    change_xid           xid8
);
CREATE INDEX room_admission_changes ON room_admission (change_xid);
CREATE TRIGGER room_admission_changed
    BEFORE INSERT OR UPDATE ON room_admission
    FOR EACH ROW
    EXECUTE FUNCTION queue_stamp_change();

INSERT INTO room_admission (concert_id, served_up_to, last_admission_round)
SELECT concert_id, served_up_to, last_admission_round FROM waiting_room;

ALTER TABLE waiting_room DROP COLUMN served_up_to, DROP COLUMN last_admission_round;
