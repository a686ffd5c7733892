-- Concerts, their schedules (performances), seat maps and reservations.

CREATE TABLE concert (
    id         BIGSERIAL    PRIMARY KEY,
    title      VARCHAR(200) NOT NULL,
    venue      VARCHAR(200) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- min/max price are fixed when the (immutable) seat map is created, so the public concert list
-- never has to aggregate over every seat.
CREATE TABLE concert_schedule (
    id              BIGSERIAL   PRIMARY KEY,
    concert_id      BIGINT      NOT NULL REFERENCES concert (id),
    performance_at  TIMESTAMPTZ NOT NULL,
    reservable_from TIMESTAMPTZ NOT NULL,
    max_seat_count  INT         NOT NULL DEFAULT 0 CHECK (max_seat_count >= 0),
    min_price       BIGINT,
    max_price       BIGINT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (reservable_from < performance_at)
);
CREATE INDEX concert_schedule_concert ON concert_schedule (concert_id, performance_at);

CREATE TABLE seat (
    id              BIGSERIAL   PRIMARY KEY,
    schedule_id     BIGINT      NOT NULL REFERENCES concert_schedule (id),
    seat_number     INT         NOT NULL CHECK (seat_number > 0),
    price           BIGINT      NOT NULL CHECK (price >= 0),
    status          VARCHAR(16) NOT NULL DEFAULT 'AVAILABLE' CHECK (status IN ('AVAILABLE', 'HELD', 'DONE')),
    user_id         VARCHAR(100),
    hold_expires_at TIMESTAMPTZ,
    version         BIGINT      NOT NULL DEFAULT 0,
    UNIQUE (schedule_id, seat_number),
    -- the state carries its owner: an AVAILABLE seat has none, a HELD one has a deadline
    CHECK ((status = 'AVAILABLE' AND user_id IS NULL AND hold_expires_at IS NULL)
        OR (status = 'HELD' AND user_id IS NOT NULL AND hold_expires_at IS NOT NULL)
        OR (status = 'DONE' AND user_id IS NOT NULL))
);
-- The remaining seat count is derived from this index (count of AVAILABLE seats), so it is right
-- by construction whatever runs concurrently, and holds on different seats never queue up behind
-- one counter row.
CREATE INDEX seat_available ON seat (schedule_id) WHERE status = 'AVAILABLE';

CREATE TABLE reservation (
    id           BIGSERIAL    PRIMARY KEY,
    user_id      VARCHAR(100) NOT NULL,
    concert_id   BIGINT       NOT NULL REFERENCES concert (id),
    schedule_id  BIGINT       NOT NULL REFERENCES concert_schedule (id),
    seat_id      BIGINT       NOT NULL REFERENCES seat (id),
    seat_number  INT          NOT NULL,
    price        BIGINT       NOT NULL,
    status       VARCHAR(16)  NOT NULL CHECK (status IN ('BOOKED', 'PAID', 'CANCELED')),
    created_at   TIMESTAMPTZ  NOT NULL,
    expires_at   TIMESTAMPTZ  NOT NULL,
    paid_at      TIMESTAMPTZ,
    canceled_at  TIMESTAMPTZ
);
-- At most one live (BOOKED or PAID) reservation per seat, enforced by the database itself.
CREATE UNIQUE INDEX reservation_one_live_per_seat ON reservation (seat_id) WHERE status IN ('BOOKED', 'PAID');
-- The sweeper's work list.
CREATE INDEX reservation_booked_deadline ON reservation (expires_at) WHERE status = 'BOOKED';
-- A user's reservations, and their live holds per schedule (the hold limit).
CREATE INDEX reservation_user ON reservation (user_id, schedule_id, status);

-- The data model's remaining seat count, for operators and the invariant checker.
CREATE VIEW concert_schedule_seat_count AS
SELECT cs.id AS schedule_id,
       cs.max_seat_count,
       (SELECT count(*) FROM seat s WHERE s.schedule_id = cs.id AND s.status = 'AVAILABLE') AS remaining_seat_count
FROM concert_schedule cs;
