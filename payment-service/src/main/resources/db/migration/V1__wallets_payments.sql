-- Wallets: the balance is the only mutable number; every change to it writes a point_history row
-- in the same transaction, so that sum(CHARGE) - sum(USE) + sum(REFUND) = balance always holds.
CREATE TABLE wallet (
    user_id    VARCHAR(64) PRIMARY KEY,
    balance    BIGINT      NOT NULL CHECK (balance >= 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE point_history (
    id             BIGSERIAL   PRIMARY KEY,
    user_id        VARCHAR(64) NOT NULL,
    type           VARCHAR(10) NOT NULL CHECK (type IN ('CHARGE', 'USE', 'REFUND')),
    amount         BIGINT      NOT NULL CHECK (amount >= 0),
    balance_after  BIGINT      NOT NULL CHECK (balance_after >= 0),
    reservation_id BIGINT,
    payment_id     UUID,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX point_history_user_newest_first ON point_history (user_id, id DESC);

-- What payment-service knows of a concert reservation, from SeatHeld / ReservationExpired.
CREATE TABLE payable_reservation (
    reservation_id BIGINT      PRIMARY KEY,
    user_id        VARCHAR(64) NOT NULL,
    concert_id     BIGINT,
    schedule_id    BIGINT,
    seat_id        BIGINT,
    seat_number    INTEGER,
    price          BIGINT      NOT NULL CHECK (price >= 0),
    status         VARCHAR(10) NOT NULL CHECK (status IN ('BOOKED', 'PAID', 'CANCELED')),
    held_at        TIMESTAMPTZ,
    expires_at     TIMESTAMPTZ NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- At most one payment per reservation, whatever the retries (UNIQUE is the last line of defence).
CREATE TABLE payment (
    id             UUID        PRIMARY KEY,
    reservation_id BIGINT      NOT NULL UNIQUE REFERENCES payable_reservation (reservation_id),
    user_id        VARCHAR(64) NOT NULL,
    concert_id     BIGINT,
    amount         BIGINT      NOT NULL CHECK (amount >= 0),
    balance_after  BIGINT      NOT NULL,
    status         VARCHAR(10) NOT NULL CHECK (status IN ('COMPLETED', 'REFUNDED')),
    paid_at        TIMESTAMPTZ NOT NULL,
    refunded_at    TIMESTAMPTZ
);
CREATE INDEX payment_user ON payment (user_id);

-- Idempotency-Key: claimed in the transaction of the operation it guards, together with the
-- response to replay; a failed operation rolls its claim back, so only successes are remembered.
CREATE TABLE idempotency_key (
    user_id             VARCHAR(64)  NOT NULL,
    operation           VARCHAR(20)  NOT NULL,
    idem_key            VARCHAR(200) NOT NULL,
    request_fingerprint VARCHAR(200) NOT NULL,
    response_body       TEXT,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, operation, idem_key)
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
