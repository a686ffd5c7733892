package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionPolicyTest {

    @Test
    void withoutACapEveryTickAdmitsAFullBatch() {
        assertThat(new AdmissionPolicy(20, 0).slots(5000)).isEqualTo(20);
    }

    @Test
    void aCapLimitsTheBatchToTheFreeSlots() {
        AdmissionPolicy capped = new AdmissionPolicy(20, 50);
        assertThat(capped.slots(0)).isEqualTo(20);
        assertThat(capped.slots(40)).isEqualTo(10);
        assertThat(capped.slots(50)).isZero();
        assertThat(capped.slots(70)).isZero();
    }

    @Test
    void nonsenseSettingsAreRejected() {
        assertThatThrownBy(() -> new AdmissionPolicy(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdmissionPolicy(20, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
