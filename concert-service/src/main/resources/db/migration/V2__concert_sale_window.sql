-- Each concert's sale window and pre-queue, announced to queue-service as SaleAnnounced
-- (concert.catalogue-events); queue-service keeps a waiting room only for an announced sale.
--   sale_opens_at          when admission starts (default: the concert's creation, so existing concerts stay on sale)
--   sale_closes_at         when the sale ends; null = it stays open until an operator sets a closing time
--   pre_queue_enabled      whether people may wait before the opening (shuffled at the opening)
--   pre_queue_lead_seconds how long before the opening the pre-queue starts
--   sale_revision          bumped on every change and carried by the event, so a consumer keeps the newest;
--                          0 = never announced (concerts created before this migration: announced at start)
ALTER TABLE concert ADD COLUMN sale_opens_at TIMESTAMPTZ;
UPDATE concert SET sale_opens_at = created_at;
ALTER TABLE concert ALTER COLUMN sale_opens_at SET NOT NULL;
ALTER TABLE concert ADD COLUMN sale_closes_at TIMESTAMPTZ;
ALTER TABLE concert ADD COLUMN pre_queue_enabled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE concert ADD COLUMN pre_queue_lead_seconds BIGINT NOT NULL DEFAULT 0 CHECK (pre_queue_lead_seconds >= 0);
ALTER TABLE concert ADD COLUMN sale_revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE concert ADD CONSTRAINT concert_sale_window CHECK (sale_closes_at IS NULL OR sale_closes_at > sale_opens_at);
CREATE INDEX concert_sale_unannounced ON concert (id) WHERE sale_revision = 0;
