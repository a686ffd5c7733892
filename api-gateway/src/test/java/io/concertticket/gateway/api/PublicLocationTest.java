package io.concertticket.gateway.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublicLocationTest {

    @Test
    void a_service_location_loses_its_internal_host_and_port() {
        assertThat(GatewayRoutes.publicLocation("http://127.0.0.1:8081/api/v1/queue/tokens/d816b79f-bea8-4d0a-9e79-f0b3b03ca8d8"))
                .isEqualTo("/api/v1/queue/tokens/d816b79f-bea8-4d0a-9e79-f0b3b03ca8d8");
        assertThat(GatewayRoutes.publicLocation("http://concert-service:8082/api/v1/reservations?size=5"))
                .isEqualTo("/api/v1/reservations?size=5");
    }

    @Test
    void a_relative_or_unparseable_location_is_left_as_it_is() {
        assertThat(GatewayRoutes.publicLocation("/api/v1/reservations/7")).isEqualTo("/api/v1/reservations/7");
        assertThat(GatewayRoutes.publicLocation("not a uri ::")).isEqualTo("not a uri ::");
    }
}
