package io.concertticket.payment;

import io.agroal.api.AgroalDataSource;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.PoolRunDryContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * A wallet read or charged while the connection pool has run dry is 503 + Retry-After, not 500 (platform-testing's
 * contract).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class PoolRunDryTest extends PoolRunDryContract {

    @Inject
    AgroalDataSource pool;

    private final String account = TestSupport.newUserId();

    @Override
    protected HttpRequest needingTheDatabase(URI service, int i) {
        URI wallet = service.resolve("/api/v1/users/" + account + "/points");
        HttpRequest.Builder request = HttpRequest.newBuilder(i % 2 == 0 ? wallet : URI.create(wallet + "/charge"))
                .header("Authorization", "Bearer " + TestSupport.walletToken(account));
        return i % 2 == 0 ? request.GET().build()
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1}")).build();
    }

    @Override
    protected int usualStatus(int i) {
        return 200;
    }

    @Override
    protected AgroalDataSource pool() {
        return pool;
    }

    @Override
    protected String serviceName() {
        return "payment-service";
    }
}
