-- The producing side's state: each bump of a key increments bumps and announces the new value.
CREATE TABLE source_state (
    state_key VARCHAR(100) PRIMARY KEY,
    bumps     INT          NOT NULL
);

-- The consuming side's state: totals per key, and a log of every application of an event
-- (no unique constraint on purpose: an event applied twice would show up as two rows).
CREATE TABLE counter (
    counter_key VARCHAR(100) PRIMARY KEY,
    total       BIGINT       NOT NULL
);
CREATE TABLE applied_log (
    id          BIGSERIAL    PRIMARY KEY,
    event_id    UUID         NOT NULL,
    counter_key VARCHAR(100) NOT NULL,
    n           INT          NOT NULL
);
CREATE INDEX applied_log_event ON applied_log (event_id);
CREATE INDEX applied_log_key ON applied_log (counter_key);
