package io.concertticket.gateway.domain;

import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The queue-service's signing keys the gateway trusts, by key id, as merged from its JWKS fetches (infrastructure's
 * key source): when each key was last seen in a fetched set, and when the last fetch happened.
 */
public record VerificationKeys(Map<String, RSAPublicKey> byKeyId, Map<String, Long> lastSeenMillis, long fetchedAtMillis) {

    public static final VerificationKeys NONE = new VerificationKeys(Map.of(), 0L);

    public VerificationKeys {
        byKeyId = Map.copyOf(byKeyId);
        lastSeenMillis = Map.copyOf(lastSeenMillis);
    }

    /** Keys all seen in one fetch at {@code fetchedAtMillis}. */
    public VerificationKeys(Map<String, RSAPublicKey> byKeyId, long fetchedAtMillis) {
        this(byKeyId, byKeyId.keySet().stream().collect(Collectors.toMap(k -> k, k -> fetchedAtMillis)), fetchedAtMillis);
    }

    public RSAPublicKey get(String keyId) {
        return byKeyId.get(keyId);
    }

    public boolean isEmpty() {
        return byKeyId.isEmpty();
    }
}
