package io.concertticket.infra;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The platform's Kafka users and what each may do, read from {@code kafka/kafka-acls.txt} (the one table that
 * local-infra, docker-compose.yml and deploy-checks share; see docs/deployment.md, "Kafka users and ACLs").
 */
public final class KafkaAcls {

    public static final String RESOURCE = "/kafka/kafka-acls.txt";

    /** One line of the table: {@code user operation resource pattern name}. */
    public record Entry(String user, AclOperation operation, ResourceType resourceType, PatternType patternType, String name) {

        public AclBinding binding() {
            return new AclBinding(new ResourcePattern(resourceType, name, patternType),
                    new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
        }
    }

    private KafkaAcls() {
    }

    public static List<Entry> entries() {
        try (InputStream in = KafkaAcls.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> parse(String table) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : table.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 5) {
                throw new IllegalArgumentException("expected 'user operation resource pattern name': " + line);
            }
            AclOperation operation = AclOperation.fromString(f[1].toUpperCase(Locale.ROOT));
            PatternType pattern = PatternType.fromString(f[3].toUpperCase(Locale.ROOT));
            if (operation == AclOperation.UNKNOWN || pattern == PatternType.UNKNOWN || pattern == PatternType.ANY || pattern == PatternType.MATCH) {
                throw new IllegalArgumentException("unknown operation or pattern type: " + line);
            }
            entries.add(new Entry(f[0], operation, resourceType(f[2]), pattern, f[4]));
        }
        return entries;
    }

    private static ResourceType resourceType(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            default -> throw new IllegalArgumentException("resource must be topic or group: " + name);
        };
    }

    /** The users of the table, in table order. */
    public static Set<String> users() {
        Set<String> users = new LinkedHashSet<>();
        entries().forEach(e -> users.add(e.user()));
        return users;
    }

    /** The topics the table names (literal topic patterns): what a SASL broker creates up front. */
    public static Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        for (Entry e : entries()) {
            if (e.resourceType() == ResourceType.TOPIC && e.patternType() == PatternType.LITERAL) {
                topics.add(e.name());
            }
        }
        return topics;
    }

    public static List<AclBinding> bindings() {
        return entries().stream().map(Entry::binding).toList();
    }
}
