-- One meaning of "close" (issue 19): an operator's close ends the sale the way its closing time does
-- (sale.closed_at: no registration, no admission, the waiting are told SALE_CLOSED). Sales closed with the
-- former control flag (new registrations refused, the line still admitted) are ended now; the sale-end
-- sweep then expires whoever still waits in them.
UPDATE sale s SET closed_at = c.updated_at FROM sale_control c
 WHERE c.concert_id = s.concert_id AND c.closed AND s.closed_at IS NULL;
ALTER TABLE sale_control DROP COLUMN closed;
