package io.concertticket.gateway.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTest {

    @ParameterizedTest
    @CsvSource({
            "POST, /api/v1/queue/tokens, QUEUE",
            "GET, /api/v1/queue/tokens/0b8e, QUEUE",
            "GET, /api/v1/queue/sales/7, SALE_STATUS",
            "HEAD, /api/v1/queue/sales/7, SALE_STATUS",
            "POST, /api/v1/queue/sales/7, QUEUE",
            "GET, /api/v1/concerts, CONCERT_LIST",
            "HEAD, /api/v1/concerts/, CONCERT_LIST",
            "POST, /api/v1/concerts, CONCERT_SALE",
            "GET, /api/v1/concerts/7/schedules, CONCERT_SALE",
            "GET, /api/v1/schedules/3/seats, SEATS",
            "POST, /api/v1/reservations, HOLD",
            "GET, /api/v1/reservations, MY_RESERVATIONS",
            "GET, /api/v1/reservations/9, MY_RESERVATIONS",
            "DELETE, /api/v1/reservations/9, HOLD",
            "POST, /api/v1/payments, PAYMENTS",
            "GET, /api/v1/users/alice/points, WALLET",
            "GET, /api/v1/users/me/points/history, WALLET",
            "POST, /api/v1/users/alice/points/charge, WALLET",
            "POST, /api/v1/admin/concerts, ADMIN",
            "GET, /api/v1/admin/schedules/3, ADMIN",
            "POST, /api/v1/admin/sales/7/pause, SALE_CONTROLS",
            "PATCH, /api/v1/admin/sales/7/controls, SALE_CONTROLS",
            "GET, /api/v1/admin/sales/7/changes, SALE_CONTROLS",
            "GET, /api/v1/admin/sales, SALE_CONTROLS",
            "GET, /api/v1/admin/salesx, ADMIN",
    })
    void publicPathsHaveTheirRoute(String method, String path, Route expected) {
        assertThat(Route.of(method, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/admin/concerts", "/api/v1", "/api/v1/", "/api/v2/queue/tokens",
            "/api/v1/queuex", "/api/v1/concertsx", "/api/v1/users/alice", "/api/v1/users//points",
            "/api/v1/users/alice/pointsx", "/api/v1/users/alice/wallet", "/api/v1//queue/tokens",
            "/api/v1/payments/..%2f..%2fq%2fhealth", "/api/v1/payments/%5cx", "/api/v1/queue/..;/x",
            "/api/v1/queue\\\\..\\\\x", "/api/v1/admin", "/api/v1/admin/", "/api/v1/adminx/concerts"})
    void everythingElseHasNone(String path) {
        assertThat(Route.of("GET", path)).isNull();
    }

    @Test
    void credentialsFollowTheContract() {
        assertThat(Route.CONCERT_LIST.needsIdentity()).isFalse();
        assertThat(Route.SALE_STATUS.needsIdentity()).isFalse();
        assertThat(Route.SALE_STATUS.upstream()).isEqualTo(Upstream.QUEUE);
        assertThat(Route.QUEUE.needsIdentity()).isTrue();
        assertThat(Route.QUEUE.needsAdmission()).isFalse();
        assertThat(Route.CONCERT_SALE.needsAdmission()).isTrue();
        assertThat(Route.SEATS.needsAdmission()).isTrue();
        assertThat(Route.HOLD.needsAdmission()).isTrue();
        assertThat(Route.PAYMENTS.needsAdmission()).isTrue();
        assertThat(Route.MY_RESERVATIONS.needsAdmission()).isFalse();
        assertThat(Route.WALLET.access()).isEqualTo(Route.Access.ACCOUNT_OWNER);
        assertThat(Route.ADMIN.access()).isEqualTo(Route.Access.OPERATOR);
        assertThat(Route.ADMIN.upstream()).isEqualTo(Upstream.CONCERT);
        assertThat(Route.SALE_CONTROLS.access()).isEqualTo(Route.Access.OPERATOR);
        assertThat(Route.SALE_CONTROLS.upstream()).isEqualTo(Upstream.QUEUE);
        assertThat(Route.PAYMENTS.upstream()).isEqualTo(Upstream.PAYMENT);
    }

    @Test
    void theWalletOwnerIsTheUserOfThePath() {
        assertThat(Route.walletOwner("/api/v1/users/alice/points/charge")).isEqualTo("alice");
        assertThat(Route.walletOwner("/api/v1/users/alice/points")).isEqualTo("alice");
        assertThat(Route.walletOwner("/api/v1/payments")).isNull();
    }
}
