package io.concertticket.payment.application;

import java.util.Optional;

/**
 * Idempotency keys, claimed in the transaction of the operation they guard. A concurrent request with the same
 * key waits until the first transaction ends: if it committed, the second finds the stored response; if it
 * rolled back, the second proceeds.
 */
public interface IdempotencyKeyStore {

    record StoredRequest(String fingerprint, String responseBody) {
    }

    /** @return empty if this transaction now owns the key, else what the first request stored */
    Optional<StoredRequest> claim(String userId, String operation, String key, String fingerprint);

    void storeResponse(String userId, String operation, String key, String responseBody);
}
