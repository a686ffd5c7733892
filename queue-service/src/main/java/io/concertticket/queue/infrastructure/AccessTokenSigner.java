package io.concertticket.queue.infrastructure;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.concertticket.queue.application.AccessTokens;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.TokenStatus;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Issues the access token of an ACTIVE queue token: a JWT (RS256, header kid) with iss, sub = user,
 * concertId, jti = queue token id, iat = activation, exp = expiry. All claims come from the token's
 * stored state, so every replica sharing the key issues byte-for-byte the same JWT; each is signed
 * once and then served from memory to every later poll.
 */
@ApplicationScoped
public class AccessTokenSigner implements AccessTokens {

    private final AccessTokenKeys keys;
    private final QueueConfig config;
    private final Cache<UUID, String> signed;

    AccessTokenSigner(AccessTokenKeys keys, QueueConfig config) {
        this.keys = keys;
        this.config = config;
        this.signed = Caffeine.newBuilder()
                .maximumSize(config.cache().maxTokens())
                .expireAfterWrite(config.tokens().activePeriod().plusMinutes(1))
                .build();
    }

    @Override
    public String accessTokenFor(TokenSnapshot token) {
        if (token.status() != TokenStatus.ACTIVE) {
            throw new IllegalArgumentException("only an ACTIVE token has an access token");
        }
        return signed.get(token.id(), id -> sign(token));
    }

    @Override
    public String jwks() {
        return keys.jwks();
    }

    private String sign(TokenSnapshot t) {
        return Jwt.issuer(config.accessToken().issuer())
                .subject(t.userId())
                .claim("concertId", t.concertId())
                .claim("jti", t.id().toString())
                .issuedAt(t.activatedAt())
                .expiresAt(t.expiresAt())
                .jws()
                .keyId(keys.keyId())
                .algorithm(SignatureAlgorithm.RS256)
                .sign(keys.privateKey());
    }
}
