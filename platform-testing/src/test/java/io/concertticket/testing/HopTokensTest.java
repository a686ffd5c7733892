package io.concertticket.testing;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Hop tokens with the same claims are signed once while they have more than half their life left; others anew. */
class HopTokensTest {

    @Test
    void theSameClaimsGiveTheSameTokenAndAnyOtherClaimANewOne() throws Exception {
        String account = "reuse-" + UUID.randomUUID();
        String first = HopTokens.forAccount(account).audience("queue-service").sign();
        Thread.sleep(1_100); // a token signed now would differ (iat and exp have a resolution of one second)

        assertThat(HopTokens.forAccount(account).audience("queue-service").sign()).as("reused").isEqualTo(first);
        assertThat(claims(first).getIssuedAt().getValue()).isLessThan(System.currentTimeMillis() / 1000);
        assertThat(HopTokens.forAccount(account).audience("concert-service").sign()).isNotEqualTo(first);
        assertThat(HopTokens.forAccount(account + "-other").audience("queue-service").sign()).isNotEqualTo(first);
        assertThat(HopTokens.forAccount(account).audience("queue-service").roles("operator").sign()).isNotEqualTo(first);
        assertThat(HopTokens.forAccount(account).audience("queue-service").issuer("someone-else").sign()).isNotEqualTo(first);
        assertThat(HopTokens.forAccount(account).audience("queue-service").lifetimeSeconds(120).sign()).isNotEqualTo(first);
        UUID admission = UUID.randomUUID();
        String admitted = HopTokens.forAccount(account).audience("queue-service").admittedTo(7, admission).sign();
        assertThat(admitted).isNotEqualTo(first);
        assertThat(claims(admitted).getClaimValue("admission_id")).isEqualTo(admission.toString());
        assertThat(claims(first).getSubject()).isEqualTo(account);
    }

    @Test
    void expiredShortLivedAndForeignKeyTokensAreSignedEveryTime() throws Exception {
        String account = "fresh-" + UUID.randomUUID();
        HopTokens expired = HopTokens.forAccount(account).audience("queue-service").lifetimeSeconds(-30);
        String one = expired.sign();
        Thread.sleep(1_100); // iat and exp have a resolution of one second
        assertThat(expired.sign()).isNotEqualTo(one);

        HopTokens shortLived = HopTokens.forAccount(account).audience("queue-service").lifetimeSeconds(30);
        String shortOne = shortLived.sign();
        Thread.sleep(1_100);
        assertThat(shortLived.sign()).isNotEqualTo(shortOne);

        var attackers = KeyPairGenerator.getInstance("RSA");
        attackers.initialize(2048);
        HopTokens foreign = HopTokens.forAccount(account).audience("queue-service").signedWith(attackers.generateKeyPair().getPrivate());
        String foreignOne = foreign.sign();
        Thread.sleep(1_100);
        assertThat(foreign.sign()).isNotEqualTo(foreignOne);
    }

    private static JwtClaims claims(String jwt) throws Exception {
        return new JwtConsumerBuilder().setSkipSignatureVerification().setSkipDefaultAudienceValidation().build().processToClaims(jwt);
    }
}
