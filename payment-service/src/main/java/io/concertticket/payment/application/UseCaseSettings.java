package io.concertticket.payment.application;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The settings the use cases go by ({@code payment.*}, as environment variables PAYMENT_MAX_BALANCE...). */
@ConfigMapping(prefix = "payment")
public interface UseCaseSettings {

    /** Largest amount one charge may add. */
    @WithDefault("1000000")
    long maxChargeAmount();

    /** Largest balance a wallet may reach by charging (refunds may exceed it: points are never lost). */
    @WithDefault("100000000")
    long maxBalance();

    /** How long a payment waits for the reservation's SeatHeld to be consumed before answering 503 (retry). */
    @WithDefault("3s")
    Duration seatHeldWait();
}
