package io.concertticket.gateway.infrastructure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concertticket.gateway.application.ServiceOpenApiDocuments;
import io.concertticket.gateway.domain.Upstream;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import jakarta.enterprise.context.ApplicationScoped;

/** Fetches a service's {@code /q/openapi} from one of its replicas, on the gateway's internal HTTP client. */
@ApplicationScoped
public class HttpOpenApiDocuments implements ServiceOpenApiDocuments {

    private static final String SERVICE_DOCUMENT = "/q/openapi?format=json";

    private final UpstreamClients clients;
    private final ObjectMapper mapper;
    private final long fetchTimeoutMillis;
    private final long connectTimeoutMillis;

    HttpOpenApiDocuments(UpstreamClients clients, ObjectMapper mapper, GatewayConfig config) {
        this.clients = clients;
        this.mapper = mapper;
        this.fetchTimeoutMillis = config.openapi().fetchTimeout().toMillis();
        this.connectTimeoutMillis = config.proxy().connectTimeout().toMillis();
    }

    @Override
    public Future<JsonNode> fetch(Upstream upstream) {
        ServiceEndpoint service = clients.endpoint(upstream);
        return clients.internalClient()
                .request(service.get(SERVICE_DOCUMENT, connectTimeoutMillis, fetchTimeoutMillis))
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().compose(body -> response.statusCode() == 200
                        ? Future.succeededFuture(body)
                        : Future.failedFuture(service.upstream().serviceName() + " answered " + response.statusCode())))
                .map(body -> {
                    try {
                        return mapper.readTree(body.getBytes());
                    } catch (Exception e) {
                        throw new IllegalStateException(service.upstream().serviceName() + " sent no JSON OpenAPI document");
                    }
                });
    }
}
