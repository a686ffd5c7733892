package io.concertticket.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Look-ups in one rendered overlay. */
final class Manifest {

    final String overlay;
    final List<ObjectNode> objects;

    Manifest(String overlay, List<ObjectNode> objects) {
        this.overlay = overlay;
        this.objects = objects;
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    /** Does a label selector (matchLabels and matchExpressions In/NotIn/Exists) select pods with these labels? */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.path(expression.path("key").asText()).asText(null);
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A container's environment: name → value (null when it comes from a Secret, or from a ConfigMap not rendered). */
    Map<String, String> environment(JsonNode container, List<String> problems, String owner) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            if (from.has("configMapRef")) {
                String name = from.path("configMapRef").path("name").asText();
                Optional<ObjectNode> configMap = find("ConfigMap", name);
                if (configMap.isEmpty()) {
                    problems.add(owner + ": envFrom ConfigMap " + name + " is not part of the overlay");
                    continue;
                }
                configMap.get().path("data").fields().forEachRemaining(e -> env.put(prefix + e.getKey(), e.getValue().asText()));
            } else if (from.has("secretRef")) {
                String name = from.path("secretRef").path("name").asText();
                Optional<ObjectNode> secret = find("Secret", name);
                if (secret.isEmpty()) {
                    problems.add(owner + ": envFrom Secret " + name + " is not rendered, so the variables it sets cannot be checked;"
                            + " use env[].valueFrom.secretKeyRef to name each variable");
                    continue;
                }
                secret.get().path("data").fieldNames().forEachRemaining(k -> env.put(prefix + k, null));
                secret.get().path("stringData").fieldNames().forEachRemaining(k -> env.put(prefix + k, null));
            }
        }
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : null);
        }
        return env;
    }

    /** A probe's or Service's port (a number or a container port name) as a number, if it resolves. */
    static Optional<Integer> resolvePort(JsonNode port, JsonNode container) {
        if (port.isInt()) {
            return Optional.of(port.asInt());
        }
        if (port.isTextual()) {
            for (JsonNode p : container.path("ports")) {
                if (p.path("name").asText().equals(port.asText())) {
                    return Optional.of(p.path("containerPort").asInt());
                }
            }
            if (port.asText().matches("\\d+")) {
                return Optional.of(Integer.parseInt(port.asText()));
            }
        }
        return Optional.empty();
    }
}
