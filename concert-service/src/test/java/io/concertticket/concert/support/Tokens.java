package io.concertticket.concert.support;

import io.concertticket.testing.HopTokens;

import java.util.UUID;

/**
 * Hop tokens as the gateway signs them for concert-service after verifying a client's credentials
 * (docs/identity.md), minted with platform-testing's test key. Tests call the service with them as Bearer.
 */
public final class Tokens {

    public static final String AUDIENCE = "concert-service";

    private Tokens() {
    }

    /** A signed-in account admitted to {@code concertId} (identity token plus admission token): sale routes. */
    public static String admitted(String account, long concertId) {
        return HopTokens.forAccount(account).admittedTo(concertId, UUID.randomUUID()).audience(AUDIENCE).sign();
    }

    /** A signed-in account without admission (identity token only): its own reservations. */
    public static String signedIn(String account) {
        return HopTokens.forAccount(account).audience(AUDIENCE).sign();
    }

    /** An account with the operator role: the operator API. */
    public static String operator() {
        return HopTokens.forAccount("operator-" + UUID.randomUUID()).roles("operator").audience(AUDIENCE).sign();
    }
}
