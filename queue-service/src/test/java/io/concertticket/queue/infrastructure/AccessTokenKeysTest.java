package io.concertticket.queue.infrastructure;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key rotation as queue-service publishes it: the signing key plus the next or previous one, never signing with those. */
class AccessTokenKeysTest {

    @TempDir
    Path dir;

    @Test
    void theJwksPublishesTheSigningKeyAndTheKeysBesideItWhileOnlyTheFirstSigns() throws Exception {
        KeyPair current = rsa();
        KeyPair next = rsa();
        Path nextPublic = write("next.pem", "PUBLIC KEY", next.getPublic().getEncoded());
        Path currentPublic = write("current.pem", "PUBLIC KEY", current.getPublic().getEncoded());

        AccessTokenKeys keys = new AccessTokenKeys(pem("PRIVATE KEY", current.getPrivate().getEncoded()),
                List.of(nextPublic.toString(), " " + currentPublic + " "));

        List<JsonWebKey> published = new JsonWebKeySet(keys.jwks()).getJsonWebKeys();
        assertThat(published).hasSize(2); // the signing key listed again as "published" is not repeated
        assertThat(published.get(0).getKeyId()).isEqualTo(keys.keyId());
        assertThat(((RsaJsonWebKey) published.get(0)).getRsaPublicKey()).isEqualTo(current.getPublic());
        assertThat(((RsaJsonWebKey) published.get(1)).getRsaPublicKey()).isEqualTo(next.getPublic());
        assertThat(published).allSatisfy(k -> {
            assertThat(k.getAlgorithm()).isEqualTo("RS256");
            assertThat(k.getUse()).isEqualTo("sig");
            assertThat(k.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)).doesNotContain("\"d\"");
        });
        assertThat(keys.privateKey()).isEqualTo(current.getPrivate());

        // after the switch: the next key signs, the old one is still published; both replicas' kids are stable
        AccessTokenKeys switched = new AccessTokenKeys(pem("PRIVATE KEY", next.getPrivate().getEncoded()), List.of(currentPublic.toString()));
        assertThat(switched.keyId()).isEqualTo(published.get(1).getKeyId());
        assertThat(new JsonWebKeySet(switched.jwks()).getJsonWebKeys()).extracting(JsonWebKey::getKeyId)
                .containsExactly(published.get(1).getKeyId(), published.get(0).getKeyId());
    }

    @Test
    void aPrivateKeyInThePublishedListIsRefused() throws Exception {
        KeyPair current = rsa();
        Path leaked = write("oops.pem", "PRIVATE KEY", rsa().getPrivate().getEncoded());
        assertThatThrownBy(() -> new AccessTokenKeys(pem("PRIVATE KEY", current.getPrivate().getEncoded()), List.of(leaked.toString())))
                .hasMessageContaining("must be a PEM public key");
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private Path write(String name, String type, byte[] der) throws Exception {
        return Files.writeString(dir.resolve(name), pem(type, der));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
