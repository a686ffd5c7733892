package io.concertticket.queue;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.testing.OperationsEndpointsContract;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Readiness with its database and Kafka up, metrics and OpenAPI: platform-testing's contract. */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class OperationsEndpointsTest extends OperationsEndpointsContract {
}
