package io.concertticket.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.kubernetes.client.openapi.JSON;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Offline validation of Kubernetes objects.
 *
 * <p>Built-in kinds are checked against the official Kubernetes Java models (io.kubernetes:client-java-api),
 * generated from the Kubernetes OpenAPI schema: {@code validateJsonElement} rejects fields the schema does
 * not define, required fields that are missing and values of the wrong JSON type, recursively; the typed
 * deserialisation that follows rejects malformed numbers and quantities. A few rules the API server
 * enforces beyond the schema are checked too (names, a Deployment's selector matching its pod labels).
 * Custom resources (Strimzi, the Prometheus Operator's PrometheusRule) are checked against small JSON schemas of our own in
 * {@code src/test/resources/schemas}.
 */
final class KubernetesSchemas {

    /** apiVersion + kind → model class. A kind not listed here is refused: add it when the manifests need it. */
    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("v1/Namespace", "V1Namespace"),
            Map.entry("v1/ConfigMap", "V1ConfigMap"),
            Map.entry("v1/Secret", "V1Secret"),
            Map.entry("v1/Service", "V1Service"),
            Map.entry("v1/ServiceAccount", "V1ServiceAccount"),
            Map.entry("v1/PersistentVolumeClaim", "V1PersistentVolumeClaim"),
            Map.entry("apps/v1/Deployment", "V1Deployment"),
            Map.entry("apps/v1/StatefulSet", "V1StatefulSet"),
            Map.entry("policy/v1/PodDisruptionBudget", "V1PodDisruptionBudget"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "V1NetworkPolicy"),
            Map.entry("networking.k8s.io/v1/Ingress", "V1Ingress"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler"));

    private static final Set<String> CUSTOM = Set.of(
            "kafka.strimzi.io/v1beta2/KafkaTopic",
            "kafka.strimzi.io/v1beta2/KafkaUser",
            "kafka.strimzi.io/v1beta2/Kafka",
            "kafka.strimzi.io/v1beta2/KafkaNodePool",
            "monitoring.coreos.com/v1/PrometheusRule");

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Set<String> DNS_LABEL_NAMED = Set.of("Namespace", "Service");
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    private KubernetesSchemas() {
    }

    /** Every problem found in one object; empty when it is valid. */
    static List<String> validate(JsonNode object) {
        List<String> problems = new ArrayList<>();
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        String name = object.path("metadata").path("name").asText("");
        String key = apiVersion + "/" + kind;
        if (name.isEmpty()) {
            problems.add("metadata.name is missing");
        } else if (name.length() > 253 || !(DNS_LABEL_NAMED.contains(kind) ? DNS_LABEL : DNS_SUBDOMAIN).matcher(name).matches()) {
            problems.add("metadata.name '" + name + "' is not a valid " + (DNS_LABEL_NAMED.contains(kind) ? "DNS-1123 label" : "DNS-1123 subdomain"));
        }
        if (BUILT_IN.containsKey(key)) {
            problems.addAll(validateBuiltIn(object, BUILT_IN.get(key)));
        } else if (CUSTOM.contains(key)) {
            problems.addAll(validateCustom(object, key));
        } else {
            problems.add("no schema for " + key + " (a kind the manifests were not expected to use, or a wrong apiVersion)");
        }
        if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
            JsonNode selector = object.path("spec").path("selector").path("matchLabels");
            JsonNode labels = object.path("spec").path("template").path("metadata").path("labels");
            for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().equals(labels.path(e.getKey()))) {
                    problems.add("spec.selector.matchLabels " + e.getKey() + "=" + e.getValue() + " does not match the pod template's labels");
                }
            }
        }
        return problems;
    }

    private static List<String> validateBuiltIn(JsonNode object, String simpleClassName) {
        JsonElement element = JsonParser.parseString(object.toString());
        try {
            Class<?> type = Class.forName("io.kubernetes.client.openapi.models." + simpleClassName);
            type.getMethod("validateJsonElement", JsonElement.class).invoke(null, element);
            JSON.getGson().fromJson(element, type);
            return List.of();
        } catch (InvocationTargetException e) {
            return List.of(String.valueOf(e.getCause().getMessage()).replaceAll(" JSON: .*", ""));
        } catch (RuntimeException e) {
            return List.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> validateCustom(JsonNode object, String key) {
        String resource = "/schemas/" + key + ".json";
        try (InputStream in = KubernetesSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema " + resource);
            }
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON_MAPPER.readTree(in));
            List<String> problems = new ArrayList<>();
            for (ValidationMessage m : schema.validate(object)) {
                problems.add(m.getMessage());
            }
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
