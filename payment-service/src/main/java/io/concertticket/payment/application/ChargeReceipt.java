package io.concertticket.payment.application;

public record ChargeReceipt(String userId, long charged, long balance) {
}
