package io.concertticket.queue.infrastructure;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The RSA key pair that signs access tokens, and its public half as a JWKS document. The key id is
 * the key's JWK thumbprint (RFC 7638), so replicas sharing a key also share the kid, and a rotated
 * key gets a new one by itself.
 */
@Startup
@ApplicationScoped
public class AccessTokenKeys {

    private static final Logger LOG = Logger.getLogger(AccessTokenKeys.class);
    public static final String ALGORITHM = "RS256";

    private final RSAPrivateCrtKey privateKey;
    private final String keyId;
    private final String jwks;

    @Inject
    AccessTokenKeys(QueueConfig config) {
        this(pemFrom(config.accessToken()), config.accessToken().publishedPublicKeyLocations().orElse(List.of()));
    }

    /** {@code privateKeyPem} null: a generated development key. */
    AccessTokenKeys(String privateKeyPem, List<String> publishedPublicKeyLocations) {
        try {
            String pem = privateKeyPem;
            if (pem == null) {
                LOG.warn("No queue.access-token.private-key(-location) configured: generated a development RSA key. "
                        + "Access tokens will not survive a restart, and several replicas need one shared configured key.");
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                privateKey = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
            } else {
                privateKey = parsePkcs8(pem);
            }
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            RsaJsonWebKey jwk = publicJwk(publicKey);
            keyId = jwk.getKeyId();
            JsonWebKeySet set = new JsonWebKeySet(jwk);
            for (String location : publishedPublicKeyLocations) {
                RsaJsonWebKey published = publicJwk(parsePublicKey(Files.readString(Path.of(location.trim()))));
                if (!published.getKeyId().equals(keyId)) {
                    set.addJsonWebKey(published);
                }
            }
            jwks = set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            LOG.infof("Access tokens are signed with key %s; the JWKS publishes %d key(s)", keyId, set.getJsonWebKeys().size());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the access-token keys: " + e.getMessage(), e);
        }
    }

    private static String pemFrom(QueueConfig.AccessToken config) {
        if (config.privateKey().filter(s -> !s.isBlank()).isPresent()) {
            return config.privateKey().get();
        }
        if (config.privateKeyLocation().filter(s -> !s.isBlank()).isPresent()) {
            try {
                return Files.readString(Path.of(config.privateKeyLocation().get()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read queue.access-token.private-key-location: " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static RsaJsonWebKey publicJwk(RSAPublicKey key) {
        RsaJsonWebKey jwk = new RsaJsonWebKey(key);
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setUse("sig");
        jwk.setAlgorithm(ALGORITHM);
        return jwk;
    }

    private static RSAPublicKey parsePublicKey(String pem) throws GeneralSecurityException {
        if (!pem.contains("BEGIN PUBLIC KEY")) {
            throw new GeneralSecurityException("a published key must be a PEM public key (BEGIN PUBLIC KEY)");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static RSAPrivateCrtKey parsePkcs8(String pem) throws GeneralSecurityException {
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new GeneralSecurityException("the key is PKCS#1; convert it with `openssl pkcs8 -topk8 -nocrypt`");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new GeneralSecurityException("an RSA private key with CRT parameters is needed to derive its public key");
        }
        return crt;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public String keyId() {
        return keyId;
    }

    /** {@code {"keys":[{"kty":"RSA","kid":…,"use":"sig","alg":"RS256","n":…,"e":…}]}} */
    public String jwks() {
        return jwks;
    }
}
