package io.concertticket.gateway.infrastructure;

import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/** The queue-service's published signing keys by key id, as of one fetch of its JWKS. */
public record VerificationKeys(Map<String, RSAPublicKey> byKeyId, long fetchedAtMillis) {

    public static final VerificationKeys NONE = new VerificationKeys(Map.of(), 0L);

    public VerificationKeys {
        byKeyId = Map.copyOf(byKeyId);
    }

    public RSAPublicKey get(String keyId) {
        return byKeyId.get(keyId);
    }

    public boolean isEmpty() {
        return byKeyId.isEmpty();
    }
}
