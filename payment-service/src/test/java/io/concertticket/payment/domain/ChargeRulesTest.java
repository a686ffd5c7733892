package io.concertticket.payment.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChargeRulesTest {

    private final ChargeRules rules = new ChargeRules(1_000, 5_000);

    @Test
    void acceptsPositiveAmountsUpToTheLimit() {
        assertThatCode(() -> rules.checkAmount(1)).doesNotThrowAnyException();
        assertThatCode(() -> rules.checkAmount(1_000)).doesNotThrowAnyException();
    }

    @Test
    void refusesZeroNegativeAndOversizedCharges() {
        assertThatThrownBy(() -> rules.checkAmount(0)).isInstanceOfSatisfying(InvalidChargeException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidChargeException.Reason.NOT_POSITIVE));
        assertThatThrownBy(() -> rules.checkAmount(-5)).isInstanceOf(InvalidChargeException.class);
        assertThatThrownBy(() -> rules.checkAmount(1_001)).isInstanceOfSatisfying(InvalidChargeException.class,
                e -> assertThat(e.limit()).isEqualTo(1_000));
    }

    @Test
    void aChargeLimitAboveTheMaximumBalanceStillCannotExceedIt() {
        ChargeRules loose = new ChargeRules(10_000, 5_000);
        assertThatThrownBy(() -> loose.checkAmount(6_000)).isInstanceOfSatisfying(InvalidChargeException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidChargeException.Reason.ABOVE_MAX_BALANCE));
    }
}
