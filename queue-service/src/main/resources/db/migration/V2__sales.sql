-- The sales queue-service keeps waiting rooms for: concert-service's SaleAnnounced events
-- (concert.catalogue-events), plus what happens here: the opening and an operator's close.
CREATE TABLE sale (
    concert_id             BIGINT       PRIMARY KEY,
    title                  VARCHAR(200),
    opens_at               TIMESTAMPTZ  NOT NULL,
    -- null: no closing time set
    closes_at              TIMESTAMPTZ,
    pre_queue_enabled      BOOLEAN      NOT NULL,
    pre_queue_lead_seconds BIGINT       NOT NULL,
    -- the announcement's revision: an older (or the same) one arriving later changes nothing
    revision               BIGINT       NOT NULL,
    -- closed by an operator (CloseSale): final, whatever is announced later
    closed_at              TIMESTAMPTZ,
    -- the opening: done once, under the room's row lock, on the database clock; the pre-queue's order
    -- is SHA-256(shuffle_seed || token id), published with the sale's status (docs/architecture.md)
    opened_at              TIMESTAMPTZ,
    shuffle_seed           VARCHAR(64),
    pre_queue_shuffled     BIGINT,
    change_xid             xid8
);
CREATE INDEX sale_changes ON sale (change_xid);
CREATE INDEX sale_not_opened ON sale (opens_at) WHERE opened_at IS NULL AND closed_at IS NULL;

CREATE TRIGGER sale_changed
    BEFORE INSERT OR UPDATE ON sale
    FOR EACH ROW
    EXECUTE FUNCTION queue_stamp_change();

-- Pre-queue arrivals get provisional arrival numbers -1, -2, ... (pre_queued counts them); the opening
-- renumbers them, shuffled, to served_up_to + 1 ... So a negative seq means "no place yet".
ALTER TABLE waiting_room ADD COLUMN pre_queued BIGINT NOT NULL DEFAULT 0;

-- The opening changes seqs: caches must learn of it like of a status change.
DROP TRIGGER queue_token_status_changed ON queue_token;
CREATE TRIGGER queue_token_status_changed
    BEFORE UPDATE OF status, seq ON queue_token
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.seq IS DISTINCT FROM NEW.seq)
    EXECUTE FUNCTION queue_stamp_change();
