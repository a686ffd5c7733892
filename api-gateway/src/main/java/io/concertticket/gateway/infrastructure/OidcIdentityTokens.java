package io.concertticket.gateway.infrastructure;

import io.concertticket.gateway.domain.KeysUnavailableException;
import io.concertticket.gateway.application.IdentityTokenVerifier;
import io.concertticket.gateway.domain.Account;
import io.concertticket.gateway.domain.TokenRejectedException;
import io.concertticket.gateway.domain.TokenRejectedException.Reason;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.OIDCException;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.UnresolvableKeyException;

import java.io.IOException;

/**
 * Verifies identity tokens with quarkus-oidc, called programmatically from the gateway's Vert.x routes
 * (its {@link TenantIdentityProvider} for the default tenant): signature with the issuer's JWKS (fetched at
 * start, refetched on an unknown {@code kid}), issuer, audience, expiry; roles from the {@code roles} claim.
 * All local: no network call per request (introspection is switched off in application.properties).
 * Failures are translated into the reasons clients are told. While the provider's keys are not loaded
 * ({@link IdentityProviderKeys}) a token is not even tried: quarkus-oidc would try to reach the provider for each.
 */
@ApplicationScoped
public class OidcIdentityTokens implements IdentityTokenVerifier {

    static final String SOURCE = "identity-provider";

    private final TenantIdentityProvider provider;
    private final IdentityProviderKeys providerKeys;

    public OidcIdentityTokens(TenantIdentityProvider provider, IdentityProviderKeys providerKeys) {
        this.provider = provider;
        this.providerKeys = providerKeys;
    }

    @Override
    public Future<Account> verify(String jwt) {
        if (!providerKeys.loaded()) {
            // not even tried: quarkus-oidc would try to reach the provider for every such request
            return Future.failedFuture(new KeysUnavailableException(SOURCE,
                    "identity tokens cannot be verified yet: the identity provider has not been reachable"));
        }
        Promise<Account> promise = Promise.promise();
        provider.authenticate(new AccessTokenCredential(jwt)).subscribe().with(
                identity -> {
                    try {
                        promise.complete(toAccount(identity));
                    } catch (RuntimeException e) {
                        promise.fail(e);
                    }
                },
                failure -> promise.fail(translate(failure)));
        return promise.future();
    }

    private static Account toAccount(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token) || token.getSubject() == null
                || token.getSubject().isBlank()) {
            throw new TokenRejectedException(Reason.INVALID, "the identity token names no account (sub)");
        }
        return new Account(token.getSubject(), identity.getRoles(), token.getExpirationTime() * 1000L);
    }

    /** The first cause that says why: a refusal of the token itself (401) or keys that cannot be had (503). */
    static RuntimeException translate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                return new TokenRejectedException(reasonOf(invalid), detailOf(reasonOf(invalid)));
            }
            if (t instanceof TokenRejectedException rejected) {
                return rejected;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OIDCException || t instanceof IOException || t instanceof io.vertx.core.VertxException) {
                return new KeysUnavailableException(SOURCE,
                        "identity tokens cannot be verified right now: the identity provider's keys cannot be fetched");
            }
        }
        // e.g. an opaque (non-JWT) token: quarkus-oidc refuses it without a cause
        return new TokenRejectedException(Reason.INVALID, detailOf(Reason.INVALID));
    }

    private static Reason reasonOf(InvalidJwtException e) {
        if (e.hasExpired()) {
            return Reason.EXPIRED;
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return Reason.WRONG_AUDIENCE;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return Reason.WRONG_ISSUER;
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return Reason.BAD_SIGNATURE;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof UnresolvableKeyException) {
                return Reason.UNKNOWN_KEY;
            }
            if (t instanceof InvalidAlgorithmException) {
                return Reason.UNSUPPORTED_ALGORITHM;
            }
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return Reason.UNSUPPORTED_ALGORITHM;
        }
        if (e.hasErrorCode(ErrorCodes.JSON_INVALID) || e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return Reason.MALFORMED;
        }
        return Reason.INVALID;
    }

    private static String detailOf(Reason reason) {
        return switch (reason) {
            case EXPIRED -> "the identity token has expired; sign in again";
            case WRONG_AUDIENCE -> "the identity token is not meant for this API (audience)";
            case WRONG_ISSUER -> "the identity token was not issued by the platform's identity provider";
            case BAD_SIGNATURE -> "the identity token signature is not valid";
            case UNKNOWN_KEY -> "the identity token is signed with a key the identity provider does not publish";
            case UNSUPPORTED_ALGORITHM -> "the identity token is not signed with an accepted algorithm";
            case MALFORMED -> "the identity token is not a well-formed signed JWT";
            default -> "the identity token is not valid";
        };
    }
}
