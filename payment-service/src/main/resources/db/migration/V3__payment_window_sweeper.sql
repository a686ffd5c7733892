-- payment-service closes the payment window of reservations unpaid at their deadline (ClosePaymentWindows):
-- its work list, as small as the number of open reservations.
CREATE INDEX payable_reservation_booked_deadline ON payable_reservation (expires_at) WHERE status = 'BOOKED';
