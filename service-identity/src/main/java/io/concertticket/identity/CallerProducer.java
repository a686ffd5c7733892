package io.concertticket.identity;

import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;

/**
 * Makes the verified hop token injectable as a {@link Caller}. SmallRye JWT has already checked the
 * signature, issuer, audience and expiry; a request without a valid hop token has no caller (401).
 */
@RequestScoped
public class CallerProducer {

    private final JsonWebToken token;

    CallerProducer(JsonWebToken token) {
        this.token = token;
    }

    @Produces
    @RequestScoped
    Caller caller() {
        String subject = token.getSubject();
        if (token.getRawToken() == null || subject == null || subject.isBlank()) {
            throw new UnauthorizedException("no verified caller");
        }
        Object concert = token.getClaim(HopToken.CONCERT_CLAIM);
        Object admission = token.getClaim(HopToken.ADMISSION_CLAIM);
        Long concertId = concert == null ? null : Long.valueOf(concert.toString());
        UUID admissionId = admission == null ? null : UUID.fromString(admission.toString().replace("\"", ""));
        return new Caller(subject, token.getGroups() == null ? java.util.Set.of() : token.getGroups(), concertId, admissionId);
    }
}
