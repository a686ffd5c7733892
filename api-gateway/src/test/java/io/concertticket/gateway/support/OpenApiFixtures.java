package io.concertticket.gateway.support;

/**
 * Small OpenAPI documents as the services would publish them: public paths, internal ones that must not
 * appear at the gateway, a {@code Problem} schema that is identical in queue and concert but different in
 * payment, and an identity header declared as a parameter.
 */
public final class OpenApiFixtures {

    private static final String PROBLEM = """
            "Problem": {"type": "object", "properties": {"type": {"type": "string"}, "status": {"type": "integer"}}}""";
    private static final String PAYMENT_PROBLEM = """
            "Problem": {"type": "object", "properties": {"type": {"type": "string"}, "balance": {"type": "integer"}}}""";

    private OpenApiFixtures() {
    }

    public static String document(String service) {
        return switch (service) {
            case "queue" -> """
                    {"openapi": "3.1.0", "info": {"title": "queue-service", "version": "1"},
                     "tags": [{"name": "Queue", "description": "waiting room"}],
                     "paths": {
                       "/api/v1/queue/tokens": {"post": {"tags": ["Queue"], "responses": {"201": {"description": "created",
                           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QueueToken"}}}},
                           "400": {"description": "bad", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
                       "/admin/queue/settings": {"get": {"responses": {"200": {"description": "internal",
                           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AdminSettings"}}}}}}},
                       "/.well-known/jwks.json": {"get": {"responses": {"200": {"description": "keys"}}}}
                     },
                     "components": {"schemas": {
                       "QueueToken": {"type": "object", "properties": {"status": {"$ref": "#/components/schemas/QueueStatus"}}},
                       "QueueStatus": {"type": "string", "enum": ["STANDBY", "ACTIVE", "EXPIRED"]},
                       "AdminSettings": {"type": "object"},
                       %s}}}
                    """.formatted(PROBLEM);
            case "concert" -> """
                    {"openapi": "3.1.0", "info": {"title": "concert-service", "version": "1"},
                     "paths": {
                       "/api/v1/concerts": {"get": {"tags": ["Concerts"], "responses": {"200": {"description": "list"}}}},
                       "/api/v1/schedules/{scheduleId}/seats": {"get": {"tags": ["Seats"],
                           "parameters": [{"name": "scheduleId", "in": "path", "required": true, "schema": {"type": "integer"}},
                                          {"name": "X-Concert-Id", "in": "header", "schema": {"type": "integer"}}],
                           "responses": {"200": {"description": "seats"},
                           "403": {"description": "other concert", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
                       "/admin/concerts": {"post": {"responses": {"201": {"description": "internal"}}}},
                       "/q/health": {"get": {"responses": {"200": {"description": "internal"}}}}
                     },
                     "components": {"schemas": {%s}}}
                    """.formatted(PROBLEM);
            case "payment" -> """
                    {"openapi": "3.1.0", "info": {"title": "payment-service", "version": "1"},
                     "paths": {
                       "/api/v1/users/{userId}/points": {"get": {"tags": ["Wallet"],
                           "parameters": [{"name": "userId", "in": "path", "required": true, "schema": {"type": "string"}},
                                          {"name": "x-user-id", "in": "header", "schema": {"type": "string"}}],
                           "responses": {"200": {"description": "balance"},
                           "402": {"description": "poor", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
                       "/api/v1/payments": {"post": {"tags": ["Payments"], "responses": {"201": {"description": "paid"}}}}
                     },
                     "components": {"schemas": {%s}}}
                    """.formatted(PAYMENT_PROBLEM);
            default -> "{}";
        };
    }
}
