-- Waiting tokens of an ended sale (closing time passed, or closed by an operator) are expired with reason
-- SALE_CLOSED (EndSales); V3 added ENDED_BY_OPERATOR. Kept apart from V2 so that a database that got V3 before
-- V2 (out of order) ends with every reason too.
ALTER TABLE queue_token DROP CONSTRAINT queue_token_expiry_reason_check;
ALTER TABLE queue_token ADD CONSTRAINT queue_token_expiry_reason_check
    CHECK (expiry_reason IN ('TIMEOUT', 'PAYMENT_COMPLETED', 'ABANDONED', 'ENDED_BY_OPERATOR', 'SALE_CLOSED'));
