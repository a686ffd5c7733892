package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueRequestRulesTest {

    @Test
    void acceptsPositiveConcertIdsAndSafeAccountIds() {
        assertThat(QueueRequestRules.requireConcertId(1L)).isEqualTo(1);
        assertThat(QueueRequestRules.requireOwnAccount("alice.b-c_d@x:1", null)).isEqualTo("alice.b-c_d@x:1");
        assertThat(QueueRequestRules.requireOwnAccount("u".repeat(64), null)).hasSize(64);
    }

    @Test
    void aUserIdInTheRequestMustBeTheCallersOwnAccount() {
        assertThat(QueueRequestRules.requireOwnAccount("alice", "alice")).isEqualTo("alice");
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount("bob", "alice")).isInstanceOf(NotYourAccountException.class);
        // no near misses: not case, not whitespace, not empty
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount("alice", "Alice")).isInstanceOf(NotYourAccountException.class);
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount("alice", "alice ")).isInstanceOf(NotYourAccountException.class);
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount("alice", "")).isInstanceOf(NotYourAccountException.class);
    }

    @Test
    void rejectsWithTheFieldNamed() {
        assertThatThrownBy(() -> QueueRequestRules.requireConcertId(null)).extracting("field").isEqualTo("concertId");
        assertThatThrownBy(() -> QueueRequestRules.requireConcertId(0L)).extracting("field").isEqualTo("concertId");
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount(" ", null)).extracting("field").isEqualTo("account");
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount("u".repeat(65), null)).extracting("field").isEqualTo("account");
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount("a b", null)).extracting("field").isEqualTo("account");
        assertThatThrownBy(() -> QueueRequestRules.requireOwnAccount("ü", null)).extracting("field").isEqualTo("account");
    }
}
