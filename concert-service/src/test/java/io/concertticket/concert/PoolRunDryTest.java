package io.concertticket.concert;

import io.agroal.api.AgroalDataSource;
import io.concertticket.concert.support.Tokens;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.PoolRunDryContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;

/**
 * A buyer's reservations read while the connection pool has run dry are 503 + Retry-After, not 500 (platform-testing's
 * contract): the list of their own, and one by id (404 as usual: nobody's).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "concert"))
class PoolRunDryTest extends PoolRunDryContract {

    @Inject
    AgroalDataSource pool;

    private final String account = "buyer-" + UUID.randomUUID();

    @Override
    protected HttpRequest needingTheDatabase(URI service, int i) {
        String path = i % 2 == 0 ? "/api/v1/reservations" : "/api/v1/reservations/" + (Long.MAX_VALUE - i);
        return HttpRequest.newBuilder(service.resolve(path)).header("Authorization", "Bearer " + Tokens.signedIn(account)).GET().build();
    }

    @Override
    protected int usualStatus(int i) {
        return i % 2 == 0 ? 200 : 404;
    }

    @Override
    protected AgroalDataSource pool() {
        return pool;
    }

    @Override
    protected String serviceName() {
        return "concert-service";
    }
}
