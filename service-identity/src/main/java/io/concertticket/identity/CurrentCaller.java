package io.concertticket.identity;

import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;
import java.util.UUID;

/**
 * The verified {@link Caller} of the current request, read from the hop token SmallRye JWT has verified
 * (signature, issuer, audience, expiry). Resources inject this and call {@link #get()}: a request-scoped
 * bean, because {@code Caller} is a record and a record cannot be a proxied (request-scoped) bean itself.
 */
@RequestScoped
public class CurrentCaller {

    private final JsonWebToken token;
    private Caller caller;

    CurrentCaller(JsonWebToken token) {
        this.token = token;
    }

    /** @throws UnauthorizedException (401) when the request carries no valid hop token */
    public Caller get() {
        if (caller == null) {
            caller = read(token);
        }
        return caller;
    }

    private static Caller read(JsonWebToken token) {
        String subject = token.getSubject();
        if (token.getRawToken() == null || subject == null || subject.isBlank()) {
            throw new UnauthorizedException("no verified caller");
        }
        Object concert = token.getClaim(HopToken.CONCERT_CLAIM);
        Object admission = token.getClaim(HopToken.ADMISSION_CLAIM);
        Long concertId = concert == null ? null : Long.valueOf(concert.toString());
        UUID admissionId = admission == null ? null : UUID.fromString(admission.toString().replace("\"", ""));
        return new Caller(subject, token.getGroups() == null ? Set.of() : token.getGroups(), concertId, admissionId);
    }
}
