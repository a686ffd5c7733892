package io.concertticket.e2e.harness;

import io.concertticket.testing.KeycloakAccounts;
import io.concertticket.testing.KeycloakAccounts.Account;
import io.concertticket.testing.KeycloakAccounts.SignedIn;

import java.time.Duration;
import java.time.Instant;

/**
 * A signed-in account of the local realm: its identity token ({@code Authorization: Bearer}), signed in
 * again with the password grant when the token has less than {@link #RENEW_BEFORE} left (the local realm's
 * tokens live 15 minutes, a scenario with faults can run longer). The account ({@code sub}) never changes.
 */
public final class Identity {

    /** A token is renewed when it has less than this left: more than any single call of a scenario takes. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(3);

    private final KeycloakAccounts keycloak;
    private final Account account;
    private final String subject;
    private String token;
    private Instant expiresAt;

    Identity(KeycloakAccounts keycloak, Account account, SignedIn signedIn) {
        this.keycloak = keycloak;
        this.account = account;
        this.subject = signedIn.subject();
        if (subject == null || subject.isBlank()) {
            throw new IllegalStateException(account.username() + ": identity token without sub");
        }
        take(signedIn);
    }

    /** Signs the account in now. */
    static Identity signIn(KeycloakAccounts keycloak, Account account) {
        return new Identity(keycloak, account, keycloak.signIn(account));
    }

    /** The account's user name in the realm (lower case). */
    public String username() {
        return account.username();
    }

    /** The account: the identity token's {@code sub}, the platform's user id. */
    public String subject() {
        return subject;
    }

    /** A currently valid identity token (signing in again first if it is about to expire). */
    public synchronized String token() {
        if (Instant.now().plus(RENEW_BEFORE).isAfter(expiresAt)) {
            SignedIn again = keycloak.signIn(account);
            if (!subject.equals(again.subject())) {
                throw new IllegalStateException(account.username() + " signed in as another account: " + again.subject());
            }
            take(again);
        }
        return token;
    }

    private void take(SignedIn signedIn) {
        token = signedIn.accessToken();
        expiresAt = Instant.ofEpochSecond(KeycloakAccounts.claims(token).path("exp").asLong());
    }

    @Override
    public String toString() {
        return account.username() + "(" + subject + ")";
    }
}
