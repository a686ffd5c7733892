-- Operators' live controls of one sale's admission (issue 19, item 3). No row: the configured defaults,
-- admission running. Admission reads the row under the room's lock, so every replica sees a change from its
-- next round on; an operator's change takes the room's lock too, so no round still in flight admits after it.
CREATE TABLE sale_control (
    concert_id      BIGINT      PRIMARY KEY,
    -- RUNNING, PAUSED (held, resumes in order) or STOPPED ("queue everyone", the emergency stop)
    admission       VARCHAR(16) NOT NULL DEFAULT 'RUNNING' CHECK (admission IN ('RUNNING', 'PAUSED', 'STOPPED')),
    -- null: the configured queue.admission.* value
    batch_size      INT         CHECK (batch_size BETWEEN 1 AND 10000),
    tick_ms         BIGINT      CHECK (tick_ms BETWEEN 1000 AND 600000),
    max_active      INT         CHECK (max_active BETWEEN 0 AND 1000000),
    -- when admission last changed state: the observed rate counts only rounds since, a pause's age counts from it
    admission_since TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every operator's change: who (the operator's account), when, what, and the controls before and after.
CREATE TABLE sale_control_change (
    id              BIGSERIAL   PRIMARY KEY,
    concert_id      BIGINT      NOT NULL,
    action          VARCHAR(32) NOT NULL,
    operator        VARCHAR(64) NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    before_controls JSONB       NOT NULL,
    after_controls  JSONB       NOT NULL,
    -- active sessions this change ended (queue everyone with endSessions)
    ended_sessions  INT         NOT NULL DEFAULT 0
);
CREATE INDEX sale_control_change_of_sale ON sale_control_change (concert_id, id);

-- The admission rounds each room took (the last few minutes of them): what the estimates are computed from.
-- slots = places the round offered (the batch, fewer under the active cap); admitted <= slots when fewer waited.
CREATE TABLE admission_round (
    concert_id      BIGINT      NOT NULL,
    round_at        TIMESTAMPTZ NOT NULL,
    slots           INT         NOT NULL,
    admitted        INT         NOT NULL,
    PRIMARY KEY (concert_id, round_at)
);

-- Rounds instead of tick numbers: a room's admission round is the start (ms on the database clock) of the
-- current interval of the room's own tick, so each sale can have its own tick and a changed tick keeps the
-- values increasing. Former tick numbers are far below any such start: the next round after the upgrade admits.
ALTER TABLE waiting_room RENAME COLUMN last_admission_tick TO last_admission_round;

-- "queue everyone" may end active sessions
ALTER TABLE queue_token DROP CONSTRAINT queue_token_expiry_reason_check;
ALTER TABLE queue_token ADD CONSTRAINT queue_token_expiry_reason_check
    CHECK (expiry_reason IN ('TIMEOUT', 'PAYMENT_COMPLETED', 'ABANDONED', 'ENDED_BY_OPERATOR'));
