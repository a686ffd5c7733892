package io.concertticket.gateway.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.gateway.domain.Upstream;
import io.vertx.core.Future;

/** The OpenAPI documents the services serve themselves (infrastructure fetches each from one of its replicas). */
public interface ServiceOpenApiDocuments {

    /** The service's document as it serves it now; fails if the service cannot be reached or sends no JSON document. */
    Future<JsonNode> fetch(Upstream service);
}
