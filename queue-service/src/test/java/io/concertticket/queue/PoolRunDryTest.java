package io.concertticket.queue;

import io.agroal.api.AgroalDataSource;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.PoolRunDryContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.http.HttpRequest;

import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static io.concertticket.queue.QueueTestSupport.hopToken;
import static io.concertticket.queue.QueueTestSupport.madeUpConcertId;
import static io.concertticket.queue.QueueTestSupport.register;

/**
 * Registrations while the connection pool has run dry are 503 + Retry-After, not 500 (platform-testing's contract):
 * joins of an open sale this replica knows (the room's batch transaction, through Hibernate and Narayana) and joins
 * of concerts nobody announced (the catalogue's own read, as the 2,000 of SaleLifecycleTest).
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class PoolRunDryTest extends PoolRunDryContract {

    @Inject
    AgroalDataSource pool;

    private long sale;

    @Override
    protected void prepare() {
        sale = freshConcertId();
        register(sale, "first-" + sale).statusCode(201); // the sale is in this replica's memory from now on
    }

    @Override
    protected HttpRequest needingTheDatabase(URI service, int i) {
        long concert = i % 2 == 0 ? sale : madeUpConcertId();
        return ConcurrentHttp.postJson(service.resolve("/api/v1/queue/tokens"), "{\"concertId\":" + concert + "}",
                hopToken("fan-" + sale + "-" + i));
    }

    @Override
    protected int usualStatus(int i) {
        return i % 2 == 0 ? 201 : 404;
    }

    @Override
    protected AgroalDataSource pool() {
        return pool;
    }

    @Override
    protected String serviceName() {
        return "queue-service";
    }
}
