package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueRequestRulesTest {

    @Test
    void acceptsPositiveConcertIdsAndSafeUserIds() {
        assertThat(QueueRequestRules.requireConcertId(1L)).isEqualTo(1);
        assertThat(QueueRequestRules.requireUserId("alice.b-c_d@x:1")).isEqualTo("alice.b-c_d@x:1");
        assertThat(QueueRequestRules.requireUserId("u".repeat(64))).hasSize(64);
    }

    @Test
    void rejectsWithTheFieldNamed() {
        assertThatThrownBy(() -> QueueRequestRules.requireConcertId(null)).extracting("field").isEqualTo("concertId");
        assertThatThrownBy(() -> QueueRequestRules.requireConcertId(0L)).extracting("field").isEqualTo("concertId");
        assertThatThrownBy(() -> QueueRequestRules.requireUserId(" ")).extracting("field").isEqualTo("userId");
        assertThatThrownBy(() -> QueueRequestRules.requireUserId("u".repeat(65))).extracting("field").isEqualTo("userId");
        assertThatThrownBy(() -> QueueRequestRules.requireUserId("a b")).extracting("field").isEqualTo("userId");
        assertThatThrownBy(() -> QueueRequestRules.requireUserId("ü")).extracting("field").isEqualTo("userId");
    }
}
