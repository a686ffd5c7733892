package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.VerificationKeys;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How fetched key sets are merged: a key is forgotten only once no fetch has shown it for the retention. */
class JwksMergeTest {

    private static final long RETENTION = Duration.ofMinutes(15).toMillis();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    @Test
    void aKeyMissingFromSomeFetchesIsKeptUntilNoFetchHasShownItForTheRetention() throws Exception {
        RSAPublicKey a = rsa();
        RSAPublicKey b = rsa();
        VerificationKeys keys = JwksKeySource.merge(VerificationKeys.NONE, new VerificationKeys(Map.of("a", a), 0), RETENTION);
        keys = JwksKeySource.merge(keys, new VerificationKeys(Map.of("b", b), MINUTE), RETENTION);   // the other replica
        assertThat(keys.byKeyId()).containsOnlyKeys("a", "b");
        keys = JwksKeySource.merge(keys, new VerificationKeys(Map.of("a", a), 2 * MINUTE), RETENTION); // back to the first
        assertThat(keys.byKeyId()).containsOnlyKeys("a", "b");
        assertThat(keys.lastSeenMillis()).containsEntry("a", 2 * MINUTE).containsEntry("b", MINUTE);

        keys = JwksKeySource.merge(keys, new VerificationKeys(Map.of("b", b), 17 * MINUTE), RETENTION); // a: 15 min unseen
        assertThat(keys.byKeyId()).containsOnlyKeys("a", "b");
        keys = JwksKeySource.merge(keys, new VerificationKeys(Map.of("b", b), 17 * MINUTE + 1), RETENTION);
        assertThat(keys.byKeyId()).containsOnlyKeys("b");
        assertThat(keys.get("b")).isEqualTo(b);
    }

    private static RSAPublicKey rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return (RSAPublicKey) g.generateKeyPair().getPublic();
    }
}
