package io.concertticket.queue.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueTokenTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private static QueueToken waiting() {
        return new QueueToken(UUID.randomUUID(), 7, "user-1", 3, T0);
    }

    @Test
    void aWaitingTokenCannotTimeOutOrBePaidFor() {
        assertThatThrownBy(() -> waiting().expire(ExpiryReason.TIMEOUT, T0)).isInstanceOf(IllegalTokenTransitionException.class);
        assertThatThrownBy(() -> waiting().expire(ExpiryReason.PAYMENT_COMPLETED, T0)).isInstanceOf(IllegalTokenTransitionException.class);
    }

    @Test
    void aTokenExpiresOnceWithItsReason() {
        QueueToken t = waiting();
        t.expire(ExpiryReason.ABANDONED, T0.plusSeconds(60));

        assertThat(t.status()).isEqualTo(TokenStatus.EXPIRED);
        assertThat(t.expiryReason()).isEqualTo(ExpiryReason.ABANDONED);
        assertThat(t.expiredAt()).isEqualTo(T0.plusSeconds(60));
        assertThatThrownBy(() -> t.expire(ExpiryReason.SALE_CLOSED, T0.plusSeconds(700))).isInstanceOf(IllegalTokenTransitionException.class);
    }

    @Test
    void snapshotsMergeToTheMostAdvancedStatusWhateverTheOrder() {
        UUID id = UUID.randomUUID();
        TokenSnapshot waiting = TokenSnapshot.waiting(id, 1, "u", 1);
        TokenSnapshot active = new TokenSnapshot(id, 1, "u", 1, TokenStatus.ACTIVE, T0, T0.plusSeconds(600), null);
        TokenSnapshot expired = new TokenSnapshot(id, 1, "u", 1, TokenStatus.EXPIRED, T0, T0.plusSeconds(600), ExpiryReason.PAYMENT_COMPLETED);

        assertThat(waiting.newest(active)).isEqualTo(active);
        assertThat(active.newest(waiting)).isEqualTo(active);
        assertThat(expired.newest(active)).isEqualTo(expired);
        assertThat(active.newest(expired)).isEqualTo(expired);
    }

    @Test
    void anActiveSnapshotPastItsExpiryReadsAsTimedOutBeforeTheSweepRecordsIt() {
        TokenSnapshot active = new TokenSnapshot(UUID.randomUUID(), 1, "u", 1, TokenStatus.ACTIVE, T0, T0.plusSeconds(600), null);

        assertThat(active.statusAt(T0.plusSeconds(599))).isEqualTo(TokenStatus.ACTIVE);
        assertThat(active.statusAt(T0.plusSeconds(600))).isEqualTo(TokenStatus.EXPIRED);
        assertThat(active.expiryReasonAt(T0.plusSeconds(600))).isEqualTo(ExpiryReason.TIMEOUT);
    }
}
