package io.concertticket.load.ceilings;

import io.concertticket.testing.HopTokens;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hop tokens for queue-service as the measured run's gateway would sign them, for the figures that call
 * queue-service directly (a service port refuses a request without one). Signed with the run's own key pair,
 * which local-infra writes for {@code ./run.sh} to {@code <data dir>/keys/hop-token-private.pem}; the same
 * claims and lifetime as the gateway's ({@code iss concert-gateway}, {@code aud queue-service}, {@code sub}, 60 s)
 * and the same reuse: a subject's token is reused while it has more than 30 s left. Nothing in the platform
 * changes for this: a platform whose key this machine cannot read (production: a Secret) has no direct figures.
 */
final class RunHopTokens {

    private static final long LIFETIME_SECONDS = 60;
    private static final long MIN_REMAINING_SECONDS = 30;
    private static final String AUDIENCE = "queue-service";

    private record Signed(String jwt, long expiresAtSecond) {
    }

    private final PrivateKey key;
    private final Map<String, Signed> bySubject = new ConcurrentHashMap<>();

    private RunHopTokens(PrivateKey key) {
        this.key = key;
    }

    /** The run's key at {@code pem}, or empty when there is no such file (then there are no direct figures). */
    static Optional<RunHopTokens> fromKey(Path pem) {
        return Files.isRegularFile(pem) ? Optional.of(new RunHopTokens(HopTokens.privateKey(pem))) : Optional.empty();
    }

    /** A hop token for {@code subject}: the one signed before while it has more than 30 s left, else a new one. */
    String token(String subject) {
        long now = System.currentTimeMillis() / 1000;
        Signed s = bySubject.get(subject);
        if (s == null || s.expiresAtSecond() - now <= MIN_REMAINING_SECONDS) {
            s = new Signed(HopTokens.forAccount(subject).audience(AUDIENCE).lifetimeSeconds(LIFETIME_SECONDS)
                    .signedWith(key).sign(), now + LIFETIME_SECONDS);
            bySubject.put(subject, s);
        }
        return s.jwt();
    }

    /**
     * Signs anew every token of {@code subjects} that would come within 30 s of its expiry in the next
     * {@code seconds}, so that a measured run of that length signs nothing itself (an RSA signature costs
     * about a millisecond of the load generator's CPU). Runs longer than 30 s re-sign as the gateway does.
     */
    void renewFor(Collection<String> subjects, long seconds) {
        long now = System.currentTimeMillis() / 1000;
        for (String subject : subjects) {
            Signed s = bySubject.get(subject);
            // two seconds to spare: the run starts a moment after this returns
            if (s == null || s.expiresAtSecond() - now - seconds - 2 <= MIN_REMAINING_SECONDS) {
                bySubject.remove(subject);
                token(subject);
            }
        }
    }
}
