package io.concertticket.gateway.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTest {

    @ParameterizedTest
    @CsvSource({
            "/api/v1/queue/tokens, QUEUE",
            "/api/v1/queue/tokens/0b8e, QUEUE",
            "/api/v1/concerts, CONCERT_LIST",
            "/api/v1/concerts/, CONCERT_LIST",
            "/api/v1/concerts/7/schedules, CONCERT_DETAILS",
            "/api/v1/schedules/3/seats, SCHEDULES",
            "/api/v1/reservations, RESERVATIONS",
            "/api/v1/reservations/9, RESERVATIONS",
            "/api/v1/payments, PAYMENTS",
            "/api/v1/users/alice/points, WALLET",
            "/api/v1/users/alice/points/history, WALLET",
            "/api/v1/users/alice/points/charge, WALLET",
    })
    void publicPathsHaveTheirRoute(String path, Route expected) {
        assertThat(Route.of(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/admin/concerts", "/api/v1", "/api/v1/", "/api/v2/queue/tokens",
            "/api/v1/queuex", "/api/v1/concertsx", "/api/v1/users/alice", "/api/v1/users//points",
            "/api/v1/users/alice/pointsx", "/api/v1/users/alice/wallet", "/api/v1//queue/tokens",
            "/api/v1/payments/..%2f..%2fq%2fhealth", "/api/v1/payments/%5cx", "/api/v1/queue/..;/x",
            "/api/v1/queue\\\\..\\\\x"})
    void everythingElseHasNone(String path) {
        assertThat(Route.of(path)).isNull();
    }

    @Test
    void protectionFollowsTheContract() {
        assertThat(Route.QUEUE.requiresToken()).isFalse();
        assertThat(Route.QUEUE.rateLimited()).isTrue();
        assertThat(Route.CONCERT_LIST.requiresToken()).isFalse();
        assertThat(Route.CONCERT_DETAILS.requiresToken()).isTrue();
        assertThat(Route.SCHEDULES.requiresToken()).isTrue();
        assertThat(Route.RESERVATIONS.requiresToken()).isTrue();
        assertThat(Route.PAYMENTS.upstream()).isEqualTo(Upstream.PAYMENT);
        assertThat(Route.WALLET.access()).isEqualTo(Route.Access.ACCESS_TOKEN_OWNER);
    }

    @Test
    void theWalletOwnerIsTheUserOfThePath() {
        assertThat(Route.walletOwner("/api/v1/users/alice/points/charge")).isEqualTo("alice");
        assertThat(Route.walletOwner("/api/v1/users/alice/points")).isEqualTo("alice");
        assertThat(Route.walletOwner("/api/v1/payments")).isNull();
    }
}
