package io.concertticket.gateway.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RevokedTokensTest {

    @Test
    void aRevocationLastsUntilTheTokenCouldNotBeValidAnyway() {
        RevokedTokens revoked = new RevokedTokens();
        revoked.revoke("t1", 1_000);
        revoked.revoke("t2", 5_000);
        assertThat(revoked.isRevoked("t1")).isTrue();
        assertThat(revoked.isRevoked("t3")).isFalse();
        assertThat(revoked.forgetExpired(1_000)).isEqualTo(1);
        assertThat(revoked.isRevoked("t1")).isFalse();
        assertThat(revoked.isRevoked("t2")).isTrue();
    }

    @Test
    void aRepeatedRevocationKeepsTheLaterHorizon() {
        RevokedTokens revoked = new RevokedTokens();
        revoked.revoke("t", 9_000);
        revoked.revoke("t", 2_000);
        revoked.forgetExpired(5_000);
        assertThat(revoked.isRevoked("t")).isTrue();
    }
}
