-- One waiting room per concert. Its counters make a position an arithmetic fact instead of a COUNT(*):
--   last_seq      arrival number given to the latest registration (registrations take this row's lock,
--                 so arrival numbers are gap-free and commit in order)
--   served_up_to  every token with seq <= served_up_to has left the line (activated or dropped)
--   position of a waiting token = seq - served_up_to - (dropped tokens with seq in (served_up_to, seq))
CREATE TABLE waiting_room (
    concert_id          BIGINT      PRIMARY KEY,
    last_seq            BIGINT      NOT NULL,
    served_up_to        BIGINT      NOT NULL DEFAULT 0,
    -- admission tick (DB clock / tick length) that last admitted a batch: one batch per tick, whatever the replicas
    last_admission_tick BIGINT      NOT NULL DEFAULT -1,
    -- bumped when waiting tokens are dropped, so caches know to reload the room's gaps
    abandoned_total     BIGINT      NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    change_xid          xid8
);

CREATE TABLE queue_token (
    id              UUID        PRIMARY KEY,
    concert_id      BIGINT      NOT NULL,
    user_id         VARCHAR(64) NOT NULL,
    seq             BIGINT      NOT NULL,
    status          VARCHAR(16) NOT NULL CHECK (status IN ('STANDBY', 'ACTIVE', 'EXPIRED')),
    registered_at   TIMESTAMPTZ NOT NULL,
    -- flushed in batches from the replicas' memory; drives the drop of abandoned waiting tokens
    last_polled_at  TIMESTAMPTZ NOT NULL,
    activated_at    TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    expired_at      TIMESTAMPTZ,
    expiry_reason   VARCHAR(32) CHECK (expiry_reason IN ('TIMEOUT', 'PAYMENT_COMPLETED', 'ABANDONED')),
    -- transaction that last changed the status: the change feed that keeps every replica's cache current
    change_xid      xid8,
    CONSTRAINT queue_token_arrival UNIQUE (concert_id, seq)
);

-- At most one live place per user and concert, even for concurrent double registrations.
CREATE UNIQUE INDEX queue_token_one_live_place ON queue_token (concert_id, user_id) WHERE status IN ('STANDBY', 'ACTIVE');
-- Admission (head of the line) and the abandoned-token sweep.
CREATE INDEX queue_token_waiting ON queue_token (concert_id, seq) WHERE status = 'STANDBY';
-- Expiry sweep and the active cap.
CREATE INDEX queue_token_active_until ON queue_token (expires_at) WHERE status = 'ACTIVE';
CREATE INDEX queue_token_active_per_concert ON queue_token (concert_id) WHERE status = 'ACTIVE';
-- Gaps in the line: waiting tokens that were dropped before being served.
CREATE INDEX queue_token_dropped ON queue_token (concert_id, seq) WHERE status = 'EXPIRED' AND activated_at IS NULL;
CREATE INDEX queue_token_changes ON queue_token (change_xid) WHERE change_xid IS NOT NULL;
CREATE INDEX waiting_room_changes ON waiting_room (change_xid);

-- Triggers stamp changes whatever code path made them, so no writer can forget to feed the caches.
CREATE FUNCTION queue_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_xid := pg_current_xact_id();
    RETURN NEW;
END
$$;

CREATE TRIGGER queue_token_status_changed
    BEFORE UPDATE OF status ON queue_token
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION queue_stamp_change();

CREATE TRIGGER waiting_room_changed
    BEFORE INSERT OR UPDATE ON waiting_room
    FOR EACH ROW
    EXECUTE FUNCTION queue_stamp_change();
