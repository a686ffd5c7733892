package io.concertticket.gateway.api;

import io.concertticket.gateway.support.FakeServices;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
@WithTestResource(FakeServices.class)
class OpenApiAggregationTest {

    @Test
    void oneDocumentDescribesThePublicApiOfEveryServiceAndNothingInternal() {
        JsonPath doc = given().when().get("/q/openapi?refresh=true")
                .then().statusCode(200).contentType(containsString("application/json"))
                .extract().jsonPath();
        Map<String, Object> paths = doc.getMap("paths");
        assertThat(paths).containsOnlyKeys("/api/v1/queue/tokens", "/api/v1/concerts",
                "/api/v1/schedules/{scheduleId}/seats", "/api/v1/users/{userId}/points", "/api/v1/payments");
        assertThat(doc.getMap("info")).doesNotContainKey("x-unavailable-services");

        // only what the public paths reach: AdminSettings of queue's /admin path is not there
        Map<String, Object> schemas = doc.getMap("components.schemas");
        assertThat(schemas).containsOnlyKeys("QueueToken", "QueueStatus", "Problem", "payment.Problem");
        assertThat(doc.getString("paths.'/api/v1/users/{userId}/points'.get.responses.'402'.content.'application/problem+json'.schema.$ref"))
                .isEqualTo("#/components/schemas/payment.Problem");
        assertThat(doc.getString("paths.'/api/v1/schedules/{scheduleId}/seats'.get.responses.'403'.content.'application/problem+json'.schema.$ref"))
                .isEqualTo("#/components/schemas/Problem");

        // identity headers are the gateway's business, not the client's
        assertThat(doc.getList("paths.'/api/v1/schedules/{scheduleId}/seats'.get.parameters.name")).containsExactly("scheduleId");
        assertThat(doc.getList("paths.'/api/v1/users/{userId}/points'.get.parameters.name")).containsExactly("userId");

        // each operation declares the credentials its route needs: identity token; both on sale routes
        assertThat(doc.getList("paths.'/api/v1/payments'.post.security")).hasSize(1);
        assertThat(doc.getMap("paths.'/api/v1/payments'.post.security[0]")).containsOnlyKeys("identityToken", "admissionToken");
        assertThat(doc.getMap("paths.'/api/v1/schedules/{scheduleId}/seats'.get.security[0]"))
                .containsOnlyKeys("identityToken", "admissionToken");
        assertThat(doc.getMap("paths.'/api/v1/queue/tokens'.post.security[0]")).containsOnlyKeys("identityToken");
        assertThat(doc.getMap("paths.'/api/v1/users/{userId}/points'.get.security[0]")).containsOnlyKeys("identityToken");
        assertThat(doc.getList("paths.'/api/v1/concerts'.get.security")).isNull();
        assertThat(doc.getString("components.securitySchemes.identityToken.scheme")).isEqualTo("bearer");
        assertThat(doc.getString("components.securitySchemes.admissionToken.type")).isEqualTo("apiKey");
        assertThat(doc.getString("components.securitySchemes.admissionToken.in")).isEqualTo("header");
        assertThat(doc.getString("components.securitySchemes.admissionToken.name")).isEqualTo("Admission-Token");
        assertThat(doc.getMap("components.securitySchemes")).doesNotContainKey("hop-token");
        assertThat(doc.getList("tags.name")).contains("Queue", "Concerts", "Seats", "Wallet", "Payments");
    }

    @Test
    void swaggerUiIsServedAndPointsAtTheGatheredDocument() {
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("/q/openapi"));
    }
}
