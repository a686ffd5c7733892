package io.concertticket.testing;

import io.concertticket.infra.testing.SharedInfrastructure;
import io.concertticket.testing.KeycloakAccounts.Account;
import io.concertticket.testing.KeycloakAccounts.SignedIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real Keycloak with the concert realm, started by local-infra (the tests' Keycloak of this build). */
class KeycloakAccountsTest {

    private static String issuer;
    private static KeycloakAccounts keycloak;

    @BeforeAll
    static void startKeycloak() {
        issuer = SharedInfrastructure.keycloakIssuer();
        keycloak = new KeycloakAccounts(issuer);
    }

    @Test
    void hundredsOfAccountsAreCreatedAtOnceAndEachSignsInAsItself() {
        int n = 300;
        long t0 = System.nanoTime();
        List<Account> accounts = keycloak.create("Rush", n);
        long created = System.nanoTime();
        List<SignedIn> signedIn = keycloak.signInAll(accounts);
        long done = System.nanoTime();
        System.out.printf("KeycloakAccounts: %d accounts created in %.1f s, %d tokens in %.1f s%n",
                n, (created - t0) / 1e9, n, (done - created) / 1e9);

        assertThat(accounts).hasSize(n).first().isEqualTo(new Account("rush-1", "rush-1"));
        assertThat(signedIn).extracting(SignedIn::subject).doesNotHaveDuplicates().allMatch(s -> !s.isBlank());
        SignedIn last = signedIn.get(n - 1);
        assertThat(last.username()).isEqualTo("rush-" + n);
        assertThat(KeycloakAccounts.claims(last.accessToken()).path("sub").asText()).isEqualTo(last.subject());
        assertThat(KeycloakAccounts.claims(last.accessToken()).path("roles").toString()).contains("\"buyer\"").doesNotContain("operator");
        assertThat(KeycloakAccounts.claims(last.accessToken()).path("iss").asText()).isEqualTo(issuer);
    }

    @Test
    void creatingExistingAccountsAgainKeepsThemAndTheirIdentity() {
        SignedIn before = keycloak.signIn(keycloak.create("again", 2).get(1));

        List<Account> again = keycloak.create("again", 3);

        assertThat(keycloak.signIn(again.get(1)).subject()).isEqualTo(before.subject());
        assertThat(keycloak.signIn(again.get(2)).subject()).isNotEqualTo(before.subject());
    }

    @Test
    void demoAccountSignsInWithItsFixedId() {
        assertThat(keycloak.signIn("buyer1", "buyer1").subject()).isEqualTo("c0ffee00-0000-4000-8000-00000000b001");
    }

    @Test
    void wrongPasswordIsRefused() {
        assertThatThrownBy(() -> keycloak.signIn("buyer1", "wrong")).hasMessageContaining("401");
    }
}
