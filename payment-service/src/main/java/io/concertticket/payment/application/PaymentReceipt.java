package io.concertticket.payment.application;

import java.util.UUID;

public record PaymentReceipt(UUID paymentId, long reservationId, long amount, long balance, String status) {
}
