package io.concertticket.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service can be configured with and what it exposes, read from its sources at test time:
 * application.properties (the default and %prod profiles), the {@code @ConfigMapping} interfaces of the
 * service and of the repository modules it depends on, its pom (health and metrics extensions) and its
 * Dockerfile.jvm (the image's own environment variables).
 *
 * <p>Environment variables map onto settings the way SmallRye Config does it: a property name becomes an
 * environment variable name by replacing every character that is not a letter or digit with '_' and
 * upper-casing ({@code event-backbone.relay.batch-size} is {@code EVENT_BACKBONE_RELAY_BATCH_SIZE}).
 */
final class ServiceSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern DOCKER_ENV = Pattern.compile("^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)[= ]", Pattern.MULTILINE);
    private static final Pattern DOCKER_EXPOSE = Pattern.compile("^EXPOSE\\s+(\\d+)", Pattern.MULTILINE);

    final String name;
    final Path dir;
    /** Keys and raw values of the profiles that apply in a deployment: none and %prod (which wins). */
    final Map<String, String> properties;
    final List<ConfigMappingScanner.Declared> declared;
    final Set<String> publishedTopicLiterals;
    final Set<String> placeholderVariables;
    final Set<String> imageVariables;
    final Set<String> dependencies;

    private ServiceSettings(String name, Path dir, Map<String, String> properties, List<ConfigMappingScanner.Declared> declared,
                            Set<String> publishedTopicLiterals, Set<String> imageVariables, Set<String> dependencies) {
        this.name = name;
        this.dir = dir;
        this.properties = properties;
        this.declared = declared;
        this.publishedTopicLiterals = publishedTopicLiterals;
        this.imageVariables = imageVariables;
        this.dependencies = dependencies;
        Set<String> placeholders = new TreeSet<>();
        properties.values().forEach(v -> collectPlaceholders(v, placeholders));
        declared.forEach(d -> collectPlaceholders(d.defaultValue(), placeholders));
        this.placeholderVariables = placeholders;
    }

    static ServiceSettings of(String module) {
        return load(module, Repository.root());
    }

    /** Loads a service from any directory laid out like this repository (tests use small fixtures). */
    static ServiceSettings load(String module, Path root) {
        Path dir = root.resolve(module);
        Map<String, String> properties = readProperties(dir.resolve("src/main/resources/application.properties"));
        List<Path> sourceRoots = new ArrayList<>();
        Set<String> dependencies = new LinkedHashSet<>();
        collectModules(root, module, sourceRoots, dependencies, new LinkedHashSet<>());
        ConfigMappingScanner.Result scanned = ConfigMappingScanner.scan(sourceRoots);
        Path dockerfile = dir.resolve("src/main/docker/Dockerfile.jvm");
        Set<String> imageVariables = new TreeSet<>();
        if (Files.isRegularFile(dockerfile)) {
            Matcher m = DOCKER_ENV.matcher(Repository.read(dockerfile));
            while (m.find()) {
                imageVariables.add(m.group(1));
            }
        }
        return new ServiceSettings(module, dir, properties, scanned.properties(), scanned.publishedTopicLiterals(),
                imageVariables, dependencies);
    }

    /** The module's own sources and those of the repository modules it depends on (not test-scoped), transitively. */
    private static void collectModules(Path root, String module, List<Path> sourceRoots, Set<String> dependencies, Set<String> seen) {
        if (!seen.add(module)) {
            return;
        }
        Path dir = root.resolve(module);
        sourceRoots.add(dir.resolve("src/main/java"));
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return;
        }
        Matcher m = DEPENDENCY.matcher(Repository.read(pom));
        while (m.find()) {
            String groupId = m.group(1).trim();
            String artifactId = m.group(2).trim();
            boolean testScoped = m.group(3).contains("<scope>test</scope>");
            if (testScoped) {
                continue;
            }
            dependencies.add(groupId + ":" + artifactId);
            if (Files.isDirectory(root.resolve(artifactId).resolve("src/main/java")) && m.group(1).contains("concertticket")) {
                collectModules(root, artifactId, sourceRoots, dependencies, seen);
            }
        }
    }

    static Map<String, String> readProperties(Path file) {
        Properties raw = new Properties();
        try {
            raw.load(new StringReader(Repository.read(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> base = new LinkedHashMap<>();
        Map<String, String> prod = new LinkedHashMap<>();
        for (String key : raw.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                prod.put(key.substring("%prod.".length()), raw.getProperty(key));
            } else if (!key.startsWith("%")) {
                base.put(key, raw.getProperty(key));
            }
        }
        base.putAll(prod);
        return base;
    }

    private static void collectPlaceholders(String value, Set<String> out) {
        if (value == null) {
            return;
        }
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            out.add(m.group(1).trim());
            if (m.group(2) != null) {
                collectPlaceholders(m.group(2), out);
            }
        }
    }

    /** SmallRye's environment variable form of a property name. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    /**
     * Why an environment variable is a real setting of this service, or empty if it is none. An image
     * variable is one the service's Dockerfile declares (read by the image's start script, e.g. the heap ratio).
     */
    Optional<String> explain(String variable) {
        if (placeholderVariables.contains(variable)) {
            return Optional.of("${" + variable + "} in application.properties");
        }
        for (String key : properties.keySet()) {
            if (envName(key).equals(variable)) {
                return Optional.of("application.properties key " + key);
            }
        }
        for (ConfigMappingScanner.Declared d : declared) {
            if (envPattern(d.name()).matcher(variable).matches()) {
                return Optional.of("configuration property " + d.name());
            }
        }
        if (imageVariables.contains(variable)) {
            return Optional.of("image variable (ENV in src/main/docker/Dockerfile.jvm)");
        }
        if (KAFKA_CLIENT_VARIABLES.contains(variable) && hasDependency("quarkus-messaging-kafka")) {
            return Optional.of("Kafka client setting " + variable.substring("KAFKA_".length()).toLowerCase().replace('_', '.')
                    + " (Quarkus passes every KAFKA_* variable to all Kafka clients: channels, dead-letter producers,"
                    + " health check, the outbox relay)");
        }
        return Optional.empty();
    }

    /**
     * Kafka client settings a deployment sets without a line in application.properties: Quarkus' Kafka
     * extension builds the "default-kafka-broker" configuration, which every channel, dead-letter producer, the
     * health check's admin client and the outbox relay start from, from every property or environment variable
     * named kafka.* / KAFKA_* (KAFKA_SASL_JAAS_CONFIG becomes sasl.jaas.config). Only the security settings are
     * accepted here, so a typo elsewhere is still caught.
     */
    static final Set<String> KAFKA_CLIENT_VARIABLES = Set.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG",
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "KAFKA_SSL_TRUSTSTORE_TYPE", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "KAFKA_SSL_TRUSTSTORE_CERTIFICATES",
            "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM");

    /** "*" (a map key or list index) matches one or more characters of an environment variable name. */
    private static Pattern envPattern(String declaredName) {
        StringBuilder regex = new StringBuilder();
        String[] parts = declaredName.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(envName(parts[i])));
        }
        return Pattern.compile(regex.toString());
    }

    /** One environment variable an operator can set: its name ("<KEY>" for a map key), the property and the default. */
    record Variable(String name, String property, String defaultValue) {
    }

    /**
     * The environment variables worth documenting: every ${VAR} of application.properties and every
     * {@code @ConfigMapping} property (of the service and the libraries it uses). Other keys of
     * application.properties (quarkus.*, mp.messaging.*) can be overridden the same way but are internal.
     */
    java.util.Collection<Variable> variables() {
        Map<String, Variable> out = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            Matcher m = PLACEHOLDER.matcher(e.getValue());
            while (m.find()) {
                String var = m.group(1).trim();
                if (var.matches("[A-Z0-9_]+")) {
                    out.putIfAbsent(var, new Variable(var, e.getKey(), m.group(2)));
                }
            }
        }
        for (ConfigMappingScanner.Declared d : declared) {
            String name = envName(d.name().replace("*", "MAPKEYSENTINEL")).replace("MAPKEYSENTINEL", "<KEY>");
            String value = properties.getOrDefault(d.name(), d.defaultValue());
            // a key two mappings read (the use cases' settings view one that infrastructure declares): the declaration's default
            out.merge(name, new Variable(name, d.name(), value), (first, other) -> first.defaultValue() != null ? first : other);
        }
        return out.values();
    }

    /** A property's value with ${VAR:default} placeholders resolved against the given environment. */
    Optional<String> value(String key, Map<String, String> env) {
        String raw = properties.get(key);
        if (raw == null) {
            String envValue = env.get(envName(key));
            return Optional.ofNullable(envValue);
        }
        String overridden = env.get(envName(key));
        return Optional.of(overridden != null ? overridden : resolve(raw, env));
    }

    private String resolve(String raw, Map<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(raw);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).trim();
            String replacement = env.containsKey(name) ? env.get(name)
                    : properties.containsKey(name) ? resolve(properties.get(name), env)
                    : m.group(2) != null ? resolve(m.group(2), env) : "";
            m.appendReplacement(b, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The HTTP port the service listens on with this environment (Quarkus' default is 8080). */
    int httpPort(Map<String, String> env) {
        return Integer.parseInt(value("quarkus.http.port", env).orElse("8080").trim());
    }

    boolean hasDependency(String artifactId) {
        return dependencies.stream().anyMatch(d -> d.endsWith(":" + artifactId));
    }

    /**
     * Is the management interface on (quarkus.management.enabled=true, a build-time property)? Then health and
     * metrics are served on its own port ({@link #managementPort}) under quarkus.management.root-path, and not
     * on the HTTP port.
     */
    boolean managementEnabled(Map<String, String> env) {
        return value("quarkus.management.enabled", env).map(v -> Boolean.parseBoolean(v.trim())).orElse(false);
    }

    /** The management interface's port (Quarkus' default is 9000). */
    int managementPort(Map<String, String> env) {
        return Integer.parseInt(value("quarkus.management.port", env).orElse("9000").trim());
    }

    /** The port health and metrics are served on: the management port when the interface is on, else the HTTP port. */
    int operationsPort(Map<String, String> env) {
        return managementEnabled(env) ? managementPort(env) : httpPort(env);
    }

    private String nonApplicationRoot(Map<String, String> env) {
        if (managementEnabled(env)) {
            return trimSlash(value("quarkus.management.root-path", env).orElse("/q"));
        }
        String root = value("quarkus.http.root-path", env).orElse("/");
        String nonApp = value("quarkus.http.non-application-root-path", env).orElse("q");
        if (nonApp.startsWith("/")) {
            return trimSlash(nonApp);
        }
        return trimSlash(root) + trimSlash(nonApp);
    }

    private static String trimSlash(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : (p.equals("/") ? "" : p);
    }

    /** The health endpoints SmallRye Health serves (none without the extension): started, live, ready. */
    Set<String> healthPaths(Map<String, String> env) {
        if (!hasDependency("quarkus-smallrye-health")) {
            return Set.of();
        }
        String base = nonApplicationRoot(env) + "/" + value("quarkus.smallrye-health.root-path", env).orElse("health");
        return Set.of(base + "/" + value("quarkus.smallrye-health.liveness-path", env).orElse("live"),
                base + "/" + value("quarkus.smallrye-health.readiness-path", env).orElse("ready"),
                base + "/" + value("quarkus.smallrye-health.startup-path", env).orElse("started"));
    }

    String readinessPath(Map<String, String> env) {
        return nonApplicationRoot(env) + "/" + value("quarkus.smallrye-health.root-path", env).orElse("health") + "/"
                + value("quarkus.smallrye-health.readiness-path", env).orElse("ready");
    }

    /** The Prometheus scrape path, if the Micrometer Prometheus registry is a dependency. */
    Optional<String> metricsPath(Map<String, String> env) {
        if (!hasDependency("quarkus-micrometer-registry-prometheus")) {
            return Optional.empty();
        }
        return Optional.of(nonApplicationRoot(env) + "/" + value("quarkus.micrometer.export.prometheus.path", env).orElse("metrics"));
    }

    /**
     * The Kafka topics this service reads or writes: the topics of its messaging channels (a channel without
     * a topic uses its own name), their dead-letter topics, any other setting whose name says it is a topic,
     * topic defaults of its configuration interfaces, and topic literals passed to {@code publish(...)}.
     */
    Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        Map<String, String> env = Map.of();
        Pattern channel = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector");
        for (String key : properties.keySet()) {
            Matcher m = channel.matcher(key);
            if (!m.matches() || !value(key, env).orElse("").contains("kafka")) {
                continue;
            }
            String prefix = "mp.messaging." + m.group(1) + "." + m.group(2) + ".";
            String topicList = value(prefix + "topics", env).orElse(null);
            if (topicList != null) {
                split(topicList, topics);
            } else if (value(prefix + "pattern", env).map(Boolean::parseBoolean).orElse(false)) {
                continue; // a pattern subscription declares no topic of its own
            } else {
                topics.add(value(prefix + "topic", env).orElse(m.group(2)));
            }
            if ("dead-letter-queue".equals(value(prefix + "failure-strategy", env).orElse(""))) {
                topics.add(value(prefix + "dead-letter-queue.topic", env).orElse("dead-letter-topic-" + m.group(2)));
            }
        }
        for (String key : properties.keySet()) {
            String last = key.substring(key.lastIndexOf('.') + 1);
            if (last.contains("topic") && !key.startsWith("mp.messaging.") && !key.startsWith("quarkus.")) {
                split(value(key, env).orElse(""), topics);
            }
        }
        for (ConfigMappingScanner.Declared d : declared) {
            String last = d.name().substring(d.name().lastIndexOf('.') + 1);
            if ((last.contains("topic") || d.name().contains(".topics.")) && d.defaultValue() != null) {
                String overridden = properties.get(d.name());
                split(overridden != null ? value(d.name(), env).orElse("") : d.defaultValue(), topics);
            }
        }
        topics.addAll(publishedTopicLiterals);
        return topics;
    }

    private static void split(String list, Set<String> out) {
        for (String t : list.split(",")) {
            if (!t.isBlank()) {
                out.add(t.trim());
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
