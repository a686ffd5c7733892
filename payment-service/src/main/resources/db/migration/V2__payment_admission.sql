-- The admission (queue token id) each payment was made with: PaymentCompleted names it so that
-- queue-service expires exactly that token. Payments made before there were admissions have none.
ALTER TABLE payment ADD COLUMN admission_token_id UUID;

-- A payable reservation names its concert: only an admission to that concert may pay it. SeatHeld has
-- always carried concertId (the consumer dead-letters one without); a reservation remembered as CANCELED
-- from a ReservationExpired may lack it. NOT VALID: enforced for every row written from now on, without
-- refusing to start over rows that predate the rule.
ALTER TABLE payable_reservation ADD CONSTRAINT payable_reservation_names_its_concert
    CHECK (status = 'CANCELED' OR concert_id IS NOT NULL) NOT VALID;
