package io.concertticket.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may do what on Kafka, from three places that must agree: what asyncapi.yaml says each service sends and
 * receives (and in which consumer group), the ACL table of local-infra (kafka/kafka-acls.txt, which Compose
 * applies too) and the Strimzi KafkaUsers of the k8s overlays.
 */
final class KafkaAccess {

    /** The one ACL table (local-infra reads it from its classpath, Compose mounts it). */
    static final String TABLE = "local-infra/src/main/resources/kafka/kafka-acls.txt";

    private static final Pattern OPERATION_ID = Pattern.compile("^([a-z]+)(Sends|Receives)[A-Z].*");
    private static final Pattern GROUP_PREFIX = Pattern.compile("^\\^([A-Za-z0-9._-]+)$");

    /** One allow rule: user, operation (Read, Write), resource (topic, group), pattern (literal, prefixed), name. */
    record Acl(String user, String operation, String resource, String pattern, String name) implements Comparable<Acl> {
        @Override
        public int compareTo(Acl o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return user + " " + operation + " " + resource + " " + pattern + " " + name;
        }
    }

    private KafkaAccess() {
    }

    /** The service an AsyncAPI operation id names by its prefix: "concertSends…" is concert-service, "gatewaySends…" api-gateway. */
    static String serviceOfOperation(String operationId, List<String> services) {
        Matcher m = OPERATION_ID.matcher(operationId);
        if (!m.matches()) {
            throw new AssertionError("asyncapi.yaml operation " + operationId + " does not start with <service>Sends or <service>Receives");
        }
        String prefix = m.group(1);
        return services.stream().filter(s -> s.equals(prefix + "-service") || s.equals("api-" + prefix) || s.equals(prefix))
                .findFirst().orElseThrow(() -> new AssertionError("asyncapi.yaml operation " + operationId + " names no service of " + services));
    }

    /** What the contract lets each service do: Write on what it sends, Read on what it receives and on its consumer group. */
    static Set<Acl> expectedFromContract() {
        JsonNode doc;
        try {
            doc = Kustomize.YAML.readTree(Repository.resolve("asyncapi.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> services = Repository.services();
        Set<Acl> acls = new TreeSet<>();
        doc.path("operations").fields().forEachRemaining(e -> {
            JsonNode op = e.getValue();
            String service = serviceOfOperation(e.getKey(), services);
            String channelRef = op.path("channel").path("$ref").asText();
            String channelId = channelRef.substring(channelRef.lastIndexOf('/') + 1);
            String topic = doc.path("channels").path(channelId).path("address").asText(null);
            if (topic == null) {
                throw new AssertionError("asyncapi.yaml operation " + e.getKey() + ": channel " + channelRef + " has no address");
            }
            switch (op.path("action").asText()) {
                case "send" -> acls.add(new Acl(service, "Write", "topic", "literal", topic));
                case "receive" -> {
                    acls.add(new Acl(service, "Read", "topic", "literal", topic));
                    JsonNode group = op.path("bindings").path("kafka").path("groupId");
                    if (group.has("const")) {
                        acls.add(new Acl(service, "Read", "group", "literal", group.path("const").asText()));
                    } else if (group.has("pattern") && GROUP_PREFIX.matcher(group.path("pattern").asText()).matches()) {
                        Matcher m = GROUP_PREFIX.matcher(group.path("pattern").asText());
                        m.matches();
                        acls.add(new Acl(service, "Read", "group", "prefixed", m.group(1)));
                    } else {
                        throw new AssertionError("asyncapi.yaml operation " + e.getKey() + " names no consumer group (groupId const or a '^prefix' pattern)");
                    }
                }
                default -> throw new AssertionError("asyncapi.yaml operation " + e.getKey() + ": action " + op.path("action"));
            }
        });
        return acls;
    }

    /** local-infra's table: {@code user operation resource pattern name} per line. */
    static Set<Acl> table() {
        Set<Acl> acls = new TreeSet<>();
        for (String raw : Repository.read(Repository.resolve(TABLE)).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 5) {
                throw new AssertionError(TABLE + ": not 'user operation resource pattern name': " + line);
            }
            acls.add(new Acl(f[0], capitalized(f[1]), f[2].toLowerCase(Locale.ROOT), f[3].toLowerCase(Locale.ROOT), f[4]));
        }
        return acls;
    }

    /** The allow rules of a Strimzi KafkaUser (one per operation), in the table's terms; anything unusual is a problem. */
    static Set<Acl> ofKafkaUser(JsonNode user, List<String> problems) {
        String name = user.path("metadata").path("name").asText();
        Set<Acl> acls = new TreeSet<>();
        for (JsonNode rule : user.path("spec").path("authorization").path("acls")) {
            JsonNode resource = rule.path("resource");
            String type = resource.path("type").asText();
            String pattern = resource.path("patternType").asText("literal").equals("prefix") ? "prefixed" : "literal";
            String resourceName = resource.path("name").asText("");
            if (!rule.path("type").asText("allow").equals("allow")) {
                continue; // a deny rule takes nothing away from what is compared here
            }
            if (!rule.path("host").asText("*").equals("*")) {
                problems.add("KafkaUser " + name + ": a rule bound to host " + rule.path("host").asText());
            }
            if (resourceName.equals("*") || resourceName.isEmpty()) {
                problems.add("KafkaUser " + name + ": a rule on every " + type + " (" + rule + ")");
            }
            for (JsonNode operation : rule.path("operations")) {
                acls.add(new Acl(name, operation.asText(), type, pattern, resourceName));
            }
            if (rule.has("operation")) {
                acls.add(new Acl(name, rule.path("operation").asText(), type, pattern, resourceName));
            }
        }
        return acls;
    }

    /** Per user, for a readable failure message. */
    static Map<String, Set<String>> byUser(Set<Acl> acls) {
        Map<String, Set<String>> out = new TreeMap<>();
        acls.forEach(a -> out.computeIfAbsent(a.user(), u -> new TreeSet<>()).add(a.operation() + " " + a.resource() + " " + a.pattern() + " " + a.name()));
        return out;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }
}
