package io.concertticket.gateway.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.concertticket.gateway.domain.Route;
import io.concertticket.gateway.domain.Upstream;
import io.concertticket.identity.HopToken;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the one OpenAPI document of the public API from the services' own documents: only the paths the
 * gateway routes to that service are kept (no {@code /q}, no {@code /admin}), only the components those
 * paths reach (transitively) are copied, components of the same name but different content are renamed
 * per service ({@code concert.Problem}) with their references rewritten, identity headers (which mean
 * nothing) are removed from the operations, the services' own security schemes (the hop token, which
 * clients never see) are replaced by the gateway's two, and each operation declares the credentials its
 * route needs (docs/identity.md): the identity token, and on sale routes the admission token as well.
 */
public final class MergeOpenApiDocuments {

    /** {@code Authorization: Bearer <identity token>} from the OIDC identity provider. */
    public static final String IDENTITY_SCHEME = "identityToken";
    /** {@code Admission-Token: <accessToken>} from the queue poll once ACTIVE. */
    public static final String ADMISSION_SCHEME = "admissionToken";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> GATEWAY_HEADERS = Set.of("x-user-id", "x-concert-id", "x-token-id");
    private static final String COMPONENTS_REF = "#/components/";

    private MergeOpenApiDocuments() {
    }

    /**
     * @param documents   each available service's document, in a stable order
     * @param unavailable services whose document could not be fetched, with the reason
     */
    public static ObjectNode merge(Map<Upstream, JsonNode> documents, Map<Upstream, String> unavailable) {
        ObjectNode out = JSON.objectNode();
        out.put("openapi", documents.values().stream()
                .map(d -> d.path("openapi").asText(null)).filter(v -> v != null).findFirst().orElse("3.0.3"));
        ObjectNode info = out.putObject("info");
        info.put("title", "Concert reservation platform API");
        info.put("version", "1.0.0");
        info.put("description", "The public API of every service, as served through the gateway. Every "
                + "operation but the concert list acts for the signed-in account: 'Authorization: Bearer <identity "
                + "token>' from the OpenID Connect identity provider. Sale operations (schedules, seats, holds, "
                + "payments) also need 'Admission-Token: <accessToken>', the admission token the queue poll returns "
                + "once the account's queue token is ACTIVE, of the same account. The operator API needs the "
                + "'operator' role.");
        if (!unavailable.isEmpty()) {
            ObjectNode missing = info.putObject("x-unavailable-services");
            unavailable.forEach((u, reason) -> missing.put(u.serviceName(), reason));
        }
        ArrayNode tags = JSON.arrayNode();
        Set<String> tagNames = new LinkedHashSet<>();
        ObjectNode paths = out.putObject("paths");
        ObjectNode components = out.putObject("components");

        for (Map.Entry<Upstream, JsonNode> entry : documents.entrySet()) {
            Upstream upstream = entry.getKey();
            JsonNode doc = entry.getValue();
            Map<String, JsonNode> kept = publicPaths(upstream, doc.path("paths"));
            Set<String> reached = reachableComponents(kept.values(), doc.path("components"));
            Map<String, String> renamed = new HashMap<>();
            for (String ref : reached) {
                String[] sectionAndName = sectionAndName(ref);
                JsonNode existing = components.path(sectionAndName[0]).get(sectionAndName[1]);
                JsonNode mine = doc.path("components").path(sectionAndName[0]).get(sectionAndName[1]);
                if (existing != null && !existing.equals(mine)) {
                    renamed.put(ref, COMPONENTS_REF + sectionAndName[0] + "/" + prefix(upstream) + sectionAndName[1]);
                }
            }
            for (String ref : reached) {
                String target = renamed.getOrDefault(ref, ref);
                String[] from = sectionAndName(ref);
                String[] to = sectionAndName(target);
                JsonNode component = doc.path("components").path(from[0]).get(from[1]);
                ObjectNode section = components.has(to[0]) ? (ObjectNode) components.get(to[0]) : components.putObject(to[0]);
                if (!section.has(to[1])) {
                    section.set(to[1], rewriteRefs(component.deepCopy(), renamed));
                }
            }
            for (Map.Entry<String, JsonNode> path : kept.entrySet()) {
                ObjectNode item = (ObjectNode) rewriteRefs(path.getValue().deepCopy(), renamed);
                prepareOperations(path.getKey(), item, tagNames);
                paths.set(path.getKey(), item);
            }
            for (JsonNode tag : doc.path("tags")) {
                if (tagNames.contains(tag.path("name").asText()) && !containsTag(tags, tag.path("name").asText())) {
                    tags.add(tag.deepCopy());
                }
            }
        }
        for (String name : tagNames) {
            if (!containsTag(tags, name)) {
                tags.addObject().put("name", name);
            }
        }
        if (!tags.isEmpty()) {
            out.set("tags", tags);
        }
        // The services declare the hop token; clients never send it: the gateway's schemes replace theirs.
        ObjectNode schemes = components.putObject("securitySchemes");
        ObjectNode identity = schemes.putObject(IDENTITY_SCHEME);
        identity.put("type", "http");
        identity.put("scheme", "bearer");
        identity.put("bearerFormat", "JWT");
        identity.put("description", "The access token of the signed-in account, from the OpenID Connect identity "
                + "provider (audience concert-api; roles in the 'roles' claim)");
        ObjectNode admission = schemes.putObject(ADMISSION_SCHEME);
        admission.put("type", "apiKey");
        admission.put("in", "header");
        admission.put("name", HopToken.ADMISSION_HEADER);
        admission.put("description", "The accessToken from GET /api/v1/queue/tokens/{token} once ACTIVE; "
                + "only together with an identity token of the same account");
        return out;
    }

    /** The paths of this service's document that the gateway routes to this service. */
    static Map<String, JsonNode> publicPaths(Upstream upstream, JsonNode paths) {
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        paths.fields().forEachRemaining(e -> {
            Route route = Route.of("GET", e.getKey());
            if (route != null && route.upstream() == upstream && e.getValue().isObject()) {
                kept.put(e.getKey(), e.getValue());
            }
        });
        return kept;
    }

    private static Set<String> reachableComponents(Collection<JsonNode> roots, JsonNode components) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<JsonNode> work = new ArrayDeque<>(roots);
        while (!work.isEmpty()) {
            collectRefs(work.pop(), ref -> {
                String[] sn = sectionAndName(ref);
                JsonNode target = sn == null ? null : components.path(sn[0]).get(sn[1]);
                if (target != null && reached.add(ref)) {
                    work.push(target);
                }
            });
        }
        return reached;
    }

    private static void collectRefs(JsonNode node, java.util.function.Consumer<String> sink) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(COMPONENTS_REF)) {
                sink.accept(ref.asText());
            }
            node.elements().forEachRemaining(child -> collectRefs(child, sink));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(child, sink));
        }
    }

    private static JsonNode rewriteRefs(JsonNode node, Map<String, String> renamed) {
        if (renamed.isEmpty()) {
            return node;
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && renamed.containsKey(ref.asText())) {
                object.put("$ref", renamed.get(ref.asText()));
            }
            object.elements().forEachRemaining(child -> rewriteRefs(child, renamed));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> rewriteRefs(child, renamed));
        }
        return node;
    }

    private static void prepareOperations(String path, ObjectNode pathItem, Set<String> tagNames) {
        removeGatewayHeaders(pathItem);
        pathItem.fields().forEachRemaining(e -> {
            if (!OPERATIONS.contains(e.getKey()) || !e.getValue().isObject()) {
                return;
            }
            ObjectNode operation = (ObjectNode) e.getValue();
            removeGatewayHeaders(operation);
            operation.path("tags").forEach(t -> tagNames.add(t.asText()));
            Route route = Route.of(e.getKey().toUpperCase(Locale.ROOT), path);
            operation.remove("security");
            if (route == null || !route.needsIdentity()) {
                return;
            }
            // one requirement object with both schemes: both are needed together
            ObjectNode requirement = operation.putArray("security").addObject();
            requirement.putArray(IDENTITY_SCHEME);
            if (route.needsAdmission()) {
                requirement.putArray(ADMISSION_SCHEME);
            }
        });
    }

    /** Identity headers mean nothing anywhere; the gateway removes them, so they are not part of the public API. */
    private static void removeGatewayHeaders(ObjectNode node) {
        JsonNode parameters = node.get("parameters");
        if (parameters == null || !parameters.isArray()) {
            return;
        }
        Iterator<JsonNode> it = parameters.elements();
        while (it.hasNext()) {
            JsonNode p = it.next();
            if ("header".equals(p.path("in").asText())
                    && GATEWAY_HEADERS.contains(p.path("name").asText().toLowerCase(Locale.ROOT))) {
                it.remove();
            }
        }
        if (parameters.isEmpty()) {
            node.remove("parameters");
        }
    }

    private static boolean containsTag(ArrayNode tags, String name) {
        for (JsonNode t : tags) {
            if (name.equals(t.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String prefix(Upstream upstream) {
        return upstream.name().toLowerCase(Locale.ROOT) + ".";
    }

    /** {@code #/components/schemas/Seat} → {@code [schemas, Seat]}, or null for anything else. */
    private static String[] sectionAndName(String ref) {
        if (!ref.startsWith(COMPONENTS_REF)) {
            return null;
        }
        String rest = ref.substring(COMPONENTS_REF.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }
}
