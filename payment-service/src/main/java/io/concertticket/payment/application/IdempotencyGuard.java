package io.concertticket.payment.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.payment.domain.IdempotencyKeyReusedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs an operation at most once per (user, operation, Idempotency-Key), inside the caller's
 * transaction: the key, the effect and the stored response commit or roll back together.
 */
@ApplicationScoped
public class IdempotencyGuard {

    private final IdempotencyKeyStore keys;
    private final ObjectMapper mapper;

    IdempotencyGuard(IdempotencyKeyStore keys, ObjectMapper mapper) {
        this.keys = keys;
        this.mapper = mapper;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public <T> Idempotent<T> run(String userId, String operation, String key, String fingerprint, Class<T> resultType,
                                 Supplier<T> operationBody) {
        if (key == null) {
            return new Idempotent<>(operationBody.get(), false);
        }
        Optional<IdempotencyKeyStore.StoredRequest> earlier = keys.claim(userId, operation, key, fingerprint);
        if (earlier.isPresent()) {
            if (!earlier.get().fingerprint().equals(fingerprint)) {
                throw new IdempotencyKeyReusedException(key);
            }
            return new Idempotent<>(read(earlier.get().responseBody(), resultType), true);
        }
        T result = operationBody.get();
        try {
            keys.storeResponse(userId, operation, key, mapper.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store the response of " + operation, e);
        }
        return new Idempotent<>(result, false);
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored response unreadable", e);
        }
    }
}
