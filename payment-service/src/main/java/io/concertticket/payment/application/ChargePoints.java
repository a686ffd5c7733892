package io.concertticket.payment.application;

import io.concertticket.payment.domain.ChargeRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.OptionalLong;

/** Adds points to a wallet: one atomic upsert that also writes its CHARGE history row. */
@ApplicationScoped
public class ChargePoints {

    static final String OPERATION = "charge";

    private final Wallets wallets;
    private final IdempotencyGuard idempotency;
    private final ChargeRules rules;

    ChargePoints(Wallets wallets, IdempotencyGuard idempotency, UseCaseSettings config) {
        this.wallets = wallets;
        this.idempotency = idempotency;
        this.rules = new ChargeRules(config.maxChargeAmount(), config.maxBalance());
    }

    @Transactional
    public Idempotent<ChargeReceipt> charge(String userId, long amount, String idempotencyKey) {
        rules.checkAmount(amount);
        return idempotency.run(userId, OPERATION, idempotencyKey, "amount=" + amount, ChargeReceipt.class, () -> {
            OptionalLong balance = wallets.chargeAndRecord(userId, amount, rules.maxBalance());
            if (balance.isEmpty()) {
                throw rules.aboveMaxBalance(amount, wallets.balanceOf(userId));
            }
            return new ChargeReceipt(userId, amount, balance.getAsLong());
        });
    }
}
