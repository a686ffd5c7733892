package io.concertticket.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered manifests of every overlay against the services as they are in the repository: settings,
 * ports, probe and metrics paths, topics, who may talk to whom, and the security baseline.
 */
class KubernetesManifestsMatchServicesTest {

    private static final String GATEWAY = "api-gateway";
    /** The name of every service's management port (health, metrics), and the port the services set. */
    static final String MANAGEMENT = "management";
    static final int MANAGEMENT_PORT = 9000;
    private static final String MONITORING_NAMESPACE = "monitoring";
    private static final String INGRESS_NAMESPACE = "ingress-nginx";
    /** The Secret with the gateway's hop-token key pair (docs/identity.md), and its two keys. */
    static final String HOP_TOKEN_SECRET = "hop-token-keys";
    static final String HOP_TOKEN_PRIVATE_KEY = "private-key.pem";
    static final String HOP_TOKEN_PUBLIC_KEY = "public-key.pem";
    /** Names of credentials; a variable that only says where one is (a file or path) is not one. */
    private static final Pattern SECRET_LOOKING = Pattern.compile("(?!.*_(LOCATION|FILE|PATH)$).*(PASSWORD|SECRET|PRIVATE_KEY|CREDENTIAL|API_KEY).*");
    private static final Map<String, ServiceSettings> SETTINGS = new HashMap<>();
    /** The keys of the Secret the Strimzi User Operator writes for a SCRAM-SHA-512 KafkaUser (named like the user). */
    private static final Set<String> KAFKA_USER_SECRET_KEYS = Set.of("password", "sasl.jaas.config");

    @BeforeAll
    static void kubectlIsThere() {
        Kustomize.requireKubectl("the manifests cannot be cross-checked");
    }

    static Stream<Path> overlays() {
        return Repository.overlays().stream();
    }

    private static Manifest manifest(Path overlay) {
        return new Manifest(overlay.getFileName().toString(), Kustomize.render(overlay));
    }

    private static ServiceSettings settings(String service) {
        return SETTINGS.computeIfAbsent(service, ServiceSettings::of);
    }

    private static JsonNode container(ObjectNode deployment, String service) {
        for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
            if (c.path("name").asText().equals(service)) {
                return c;
            }
        }
        return deployment.path("spec").path("template").path("spec").path("containers").path(0);
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyServiceIsDeployedFromItsOwnImageWithAServiceInFrontOfIt(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty()) {
                problems.add("no Deployment " + service);
                continue;
            }
            String image = container(deployment.get(), service).path("image").asText();
            String repository = image.replaceAll("[:@].*$", "");
            if (!repository.endsWith("/" + service)) {
                problems.add(service + ": image " + image + " is not the image of " + service);
            }
            Optional<ObjectNode> svc = m.find("Service", service);
            if (svc.isEmpty()) {
                problems.add("no Service " + service);
            } else if (!Manifest.selects(svc.get().path("spec").path("selector").isMissingNode() ? null
                    : wrapMatchLabels(svc.get().path("spec").path("selector")), deployment.get().path("spec").path("template").path("metadata").path("labels"))) {
                problems.add("Service " + service + " does not select the pods of Deployment " + service);
            } else if (!svc.get().path("spec").path("type").asText("ClusterIP").equals("ClusterIP")) {
                problems.add("Service " + service + " is exposed as " + svc.get().path("spec").path("type").asText() + "; only the Ingress is public");
            }
        }
        assertThat(problems).isEmpty();
    }

    private static JsonNode wrapMatchLabels(JsonNode labels) {
        ObjectNode selector = Kustomize.YAML.createObjectNode();
        selector.set("matchLabels", labels);
        return selector;
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyEnvironmentVariableSetForAServiceIsARealSettingOfIt(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty()) {
                continue; // reported by another test
            }
            ServiceSettings s = settings(service);
            Map<String, String> env = m.environment(container(deployment.get(), service), problems, service);
            for (String variable : env.keySet()) {
                if (s.explain(variable).isEmpty()) {
                    problems.add(service + ": environment variable " + variable + " is no setting of " + service
                            + " (not a ${" + variable + "} placeholder or a key of its application.properties, nor a @ConfigMapping property)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void portsProbesAndMetricsPathsAreTheOnesEachServiceServes(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty()) {
                continue;
            }
            ServiceSettings s = settings(service);
            JsonNode container = container(deployment.get(), service);
            Map<String, String> env = m.environment(container, new ArrayList<>(), service);
            int port = s.httpPort(env);
            if (!s.managementEnabled(env)) {
                problems.add(service + ": health and metrics are served on its API port; the platform serves them on the separate"
                        + " management port " + MANAGEMENT_PORT + " (application.properties: quarkus.management.enabled=true,"
                        + " quarkus.management.port=" + MANAGEMENT_PORT + ")");
            } else if (s.managementPort(env) == port) {
                problems.add(service + ": the management port " + s.managementPort(env) + " is its API port");
            }
            int operations = s.operationsPort(env);
            if (declaredPort(container, null).stream().noneMatch(p -> p == port)) {
                problems.add(service + ": listens on " + port + " but the container does not declare that port");
            }
            if (s.managementEnabled(env) && !declaredPort(container, MANAGEMENT).contains(operations)) {
                problems.add(service + ": serves health and metrics on " + operations + " but the container declares no port named \""
                        + MANAGEMENT + "\" with containerPort " + operations);
            }
            Set<String> health = s.healthPaths(env);
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                if (container.path(probe).isMissingNode()) {
                    if (!probe.equals("startupProbe")) {
                        problems.add(service + ": no " + probe);
                    }
                    continue;
                }
                if (get.isMissingNode()) {
                    problems.add(service + ": " + probe + " is not an HTTP probe");
                    continue;
                }
                if (!health.contains(get.path("path").asText())) {
                    problems.add(service + ": " + probe + " path " + get.path("path").asText() + " is not served (health endpoints: " + health + ")");
                }
                if (!Manifest.resolvePort(get.path("port"), container).equals(Optional.of(operations))) {
                    problems.add(service + ": " + probe + " port " + get.path("port") + " is not the port health is served on, " + operations);
                }
            }
            if (!container.path("readinessProbe").path("httpGet").path("path").asText().endsWith("/ready")
                    || !container.path("livenessProbe").path("httpGet").path("path").asText().endsWith("/live")) {
                problems.add(service + ": readiness must probe /ready and liveness /live (a liveness probe on readiness restarts pods when a dependency is down)");
            }
            JsonNode annotations = deployment.get().path("spec").path("template").path("metadata").path("annotations");
            Optional<String> metrics = s.metricsPath(env);
            if (metrics.isEmpty()) {
                problems.add(service + ": has no Prometheus registry, yet the platform scrapes every service");
            } else {
                if (!annotations.path("prometheus.io/scrape").asText().equals("true")) {
                    problems.add(service + ": pod annotation prometheus.io/scrape is not \"true\"");
                }
                if (!annotations.path("prometheus.io/path").asText().equals(metrics.get())) {
                    problems.add(service + ": prometheus.io/path " + annotations.path("prometheus.io/path").asText() + " is not " + metrics.get());
                }
                if (!annotations.path("prometheus.io/port").asText().equals(String.valueOf(operations))) {
                    problems.add(service + ": prometheus.io/port " + annotations.path("prometheus.io/port").asText()
                            + " is not the port metrics are served on, " + operations);
                }
            }
            m.find("Service", service).ifPresent(svc -> {
                for (JsonNode p : svc.path("spec").path("ports")) {
                    JsonNode target = p.has("targetPort") ? p.path("targetPort") : p.path("port");
                    if (!Manifest.resolvePort(target, container).equals(Optional.of(port))) {
                        problems.add("Service " + service + " port " + p.path("port") + " targets " + target + ", not the HTTP port " + port
                                + " (Prometheus scrapes the pods; the management port stays off the Service)");
                    }
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    /** The container ports, all or only the one of that name. */
    private static List<Integer> declaredPort(JsonNode container, String name) {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode p : container.path("ports")) {
            if (name == null || p.path("name").asText().equals(name)) {
                ports.add(p.path("containerPort").asInt());
            }
        }
        return ports;
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void serviceUrlsAndBrokerAddressesPointAtServicesThatExist(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty()) {
                continue;
            }
            Map<String, String> env = m.environment(container(deployment.get(), service), new ArrayList<>(), service);
            env.forEach((name, value) -> {
                if (value == null || !value.matches("https?://[^/\\s]+.*")) {
                    return;
                }
                URI uri = URI.create(value);
                if (uri.getHost() == null || uri.getHost().contains(".")) {
                    return; // outside the overlay (e.g. the production OIDC issuer); in-cluster Services are short names here
                }
                Optional<ObjectNode> target = m.find("Service", uri.getHost());
                if (target.isEmpty()) {
                    problems.add(service + ": " + name + "=" + value + " names no Service of the overlay");
                    return;
                }
                int uriPort = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
                boolean portExists = false;
                for (JsonNode p : target.get().path("spec").path("ports")) {
                    portExists |= p.path("port").asInt() == uriPort;
                }
                if (!portExists) {
                    problems.add(service + ": " + name + "=" + value + ": Service " + uri.getHost() + " has no port " + uri.getPort());
                }
                Optional<ObjectNode> targetDeployment = m.find("Deployment", uri.getHost());
                if (targetDeployment.isPresent() && Repository.services().contains(uri.getHost())) {
                    ServiceSettings t = settings(uri.getHost());
                    int targetPort = t.httpPort(m.environment(container(targetDeployment.get(), uri.getHost()), new ArrayList<>(), uri.getHost()));
                    if (target.get().path("spec").path("ports").findValues("port").stream().noneMatch(p -> p.asInt() == uri.getPort())
                            || targetPort <= 0) {
                        problems.add(service + ": " + name + " port mismatch");
                    }
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyTopicAServiceUsesOrTheContractNamesIsDeclaredAndNoOtherTopic(Path overlay) {
        Manifest m = manifest(overlay);
        Set<String> declared = new TreeSet<>();
        for (ObjectNode topic : m.ofKind("KafkaTopic")) {
            declared.add(topic.path("spec").path("topicName").asText(topic.path("metadata").path("name").asText()));
        }
        Set<String> needed = new TreeSet<>(Contract.topics());
        Map<String, String> usedBy = new HashMap<>();
        for (String service : Repository.services()) {
            for (String topic : settings(service).topics()) {
                needed.add(topic);
                usedBy.merge(topic, service, (a, b) -> a + ", " + b);
            }
        }
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(declared);
        Set<String> unused = new TreeSet<>(declared);
        unused.removeAll(needed);
        assertThat(missing).as(Contract.explain("topics not declared as KafkaTopic", usedBy)).isEmpty();
        assertThat(unused).as("KafkaTopics no service uses and the contract does not name").isEmpty();
        assertThat(declared).as("the contract's topics (docs/contracts.md)").isNotEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyServiceSignsInToKafkaAsItsOwnKafkaUserFromThatUsersSecret(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        Map<String, String> userOf = new HashMap<>();
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty() || settings(service).topics().isEmpty()) {
                continue;
            }
            JsonNode container = container(deployment.get(), service);
            Map<String, String> env = m.environment(container, new ArrayList<>(), service);
            if (!Set.of("SASL_PLAINTEXT", "SASL_SSL").contains(String.valueOf(env.get("KAFKA_SECURITY_PROTOCOL")))) {
                problems.add(service + ": KAFKA_SECURITY_PROTOCOL=" + env.get("KAFKA_SECURITY_PROTOCOL") + "; it must sign in to Kafka (SASL_PLAINTEXT or SASL_SSL)");
            }
            if (!"SCRAM-SHA-512".equals(env.get("KAFKA_SASL_MECHANISM"))) {
                problems.add(service + ": KAFKA_SASL_MECHANISM=" + env.get("KAFKA_SASL_MECHANISM") + ", not SCRAM-SHA-512 (what its KafkaUser has)");
            }
            JsonNode jaas = Kustomize.YAML.missingNode();
            for (JsonNode e : container.path("env")) {
                if (e.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                    jaas = e.path("valueFrom").path("secretKeyRef");
                }
            }
            if (jaas.isMissingNode() || !jaas.path("key").asText().equals("sasl.jaas.config")) {
                problems.add(service + ": KAFKA_SASL_JAAS_CONFIG must come from the key sasl.jaas.config of its KafkaUser's Secret (secretKeyRef)");
                continue;
            }
            String user = jaas.path("name").asText();
            Optional<ObjectNode> kafkaUser = m.find("KafkaUser", user);
            if (kafkaUser.isEmpty()) {
                problems.add(service + ": KAFKA_SASL_JAAS_CONFIG comes from the Secret " + user + ", which no KafkaUser of the overlay owns");
                continue;
            }
            if (!user.equals(service)) {
                problems.add(service + ": signs in as the KafkaUser " + user + "; each service has the user named after it");
            }
            String other = userOf.putIfAbsent(user, service);
            if (other != null) {
                problems.add(service + " and " + other + " share the KafkaUser " + user);
            }
            if (!kafkaUser.get().path("spec").path("authentication").path("type").asText().equals("scram-sha-512")) {
                problems.add("KafkaUser " + user + ": authentication is not scram-sha-512");
            }
            String cluster = kafkaUser.get().path("metadata").path("labels").path("strimzi.io/cluster").asText();
            for (ObjectNode topic : m.ofKind("KafkaTopic")) {
                if (!topic.path("metadata").path("labels").path("strimzi.io/cluster").asText().equals(cluster)) {
                    problems.add("KafkaUser " + user + " is for the cluster " + cluster + " but KafkaTopic "
                            + topic.path("metadata").path("name").asText() + " for another");
                }
            }
        }
        for (ObjectNode kafka : m.ofKind("Kafka")) {
            String name = kafka.path("metadata").path("name").asText();
            for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
                if (!Set.of("scram-sha-512", "tls").contains(listener.path("authentication").path("type").asText())) {
                    problems.add("Kafka " + name + ": listener " + listener.path("name").asText() + " lets clients in without authentication");
                }
            }
            if (!kafka.path("spec").path("kafka").path("authorization").path("type").asText().equals("simple")) {
                problems.add("Kafka " + name + ": no authorization (type simple): every signed-in user could write every topic");
            }
            if (kafka.path("spec").path("entityOperator").path("userOperator").isMissingNode()) {
                problems.add("Kafka " + name + ": no User Operator, so no KafkaUser (and no Secret a service reads) would exist");
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void eachKafkaUsersAclsAllowExactlyWhatAsyncApiSaysTheServiceSendsAndReceives(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        Set<KafkaAccess.Acl> granted = new TreeSet<>();
        for (ObjectNode user : m.ofKind("KafkaUser")) {
            granted.addAll(KafkaAccess.ofKafkaUser(user, problems));
        }
        Set<KafkaAccess.Acl> expected = KafkaAccess.expectedFromContract();
        Set<KafkaAccess.Acl> extra = new TreeSet<>(granted);
        extra.removeAll(expected);
        Set<KafkaAccess.Acl> missing = new TreeSet<>(expected);
        missing.removeAll(granted);
        assertThat(problems).isEmpty();
        assertThat(extra).as("KafkaUser ACLs asyncapi.yaml does not call for (e.g. Write on a topic another service produces)").isEmpty();
        assertThat(missing).as("ACLs a service needs for what asyncapi.yaml says it does").isEmpty();
        // e.g. a forged PaymentCompleted: only payment-service may write payment.payment-events
        Map<String, Set<String>> writers = new HashMap<>();
        granted.stream().filter(a -> a.resource().equals("topic") && Set.of("Write", "All").contains(a.operation()))
                .forEach(a -> writers.computeIfAbsent(a.name(), t -> new TreeSet<>()).add(a.user()));
        assertThat(writers.get("payment.payment-events")).as("who may write payment.payment-events").containsExactly("payment-service");
        assertThat(writers.get("queue.token-events")).as("who may write queue.token-events").containsExactly("queue-service");
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void onlyTheGatewayReachesTheServicesApiPortsAndMonitoringReachesOnlyTheManagementPorts(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        boolean defaultDeny = m.ofKind("NetworkPolicy").stream().anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                && p.path("spec").path("policyTypes").toString().contains("Ingress") && p.path("spec").path("ingress").isEmpty());
        if (!defaultDeny) {
            problems.add("no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules)");
        }
        for (ObjectNode ingress : m.ofKind("Ingress")) {
            for (JsonNode backend : ingress.findValues("backend")) {
                String target = backend.path("service").path("name").asText();
                if (!target.equals(GATEWAY)) {
                    problems.add("Ingress " + ingress.path("metadata").path("name").asText() + " routes to " + target + "; only the gateway is public");
                }
                JsonNode port = backend.path("service").path("port");
                Optional<ObjectNode> svc = m.find("Service", target);
                boolean ok = svc.isPresent() && svc.get().path("spec").path("ports").findParents("port").stream().anyMatch(p ->
                        (port.has("name") && p.path("name").asText().equals(port.path("name").asText()))
                                || (port.has("number") && p.path("port").asInt() == port.path("number").asInt()));
                if (!ok) {
                    problems.add("Ingress backend " + target + " port " + port + " is no port of Service " + target);
                }
            }
        }
        if (m.ofKind("Ingress").isEmpty()) {
            problems.add("no Ingress for the gateway");
        }
        Optional<ObjectNode> gateway = m.find("Deployment", GATEWAY);
        JsonNode gatewayLabels = gateway.map(g -> g.path("spec").path("template").path("metadata").path("labels")).orElse(null);
        List<ObjectNode> workloads = new ArrayList<>(m.ofKind("Deployment"));
        workloads.addAll(m.ofKind("StatefulSet"));
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty() || gatewayLabels == null) {
                continue;
            }
            JsonNode labels = deployment.get().path("spec").path("template").path("metadata").path("labels");
            JsonNode container = container(deployment.get(), service);
            Map<String, String> env = m.environment(container, new ArrayList<>(), service);
            int port = settings(service).httpPort(env);
            int management = settings(service).operationsPort(env);
            boolean gatewayReachesApi = false;
            boolean ingressReachesApi = false;
            boolean monitoringReachesManagement = false;
            List<ObjectNode> policies = m.ofKind("NetworkPolicy").stream()
                    .filter(p -> !p.path("spec").path("podSelector").isEmpty() && Manifest.selects(p.path("spec").path("podSelector"), labels)).toList();
            if (policies.isEmpty()) {
                problems.add(service + ": no NetworkPolicy lets anything reach it");
            }
            for (ObjectNode policy : policies) {
                String name = "NetworkPolicy " + policy.path("metadata").path("name").asText();
                for (JsonNode rule : policy.path("spec").path("ingress")) {
                    List<Integer> ports = new ArrayList<>();
                    for (JsonNode p : rule.path("ports")) {
                        Optional<Integer> resolved = p.has("port") ? Manifest.resolvePort(p.path("port"), container) : Optional.empty();
                        if (resolved.isEmpty() || p.has("endPort")) {
                            problems.add(service + ": " + name + " opens " + p + ", not one port of the container");
                        } else {
                            ports.add(resolved.get());
                        }
                    }
                    if (rule.path("ports").isEmpty()) {
                        problems.add(service + ": " + name + " opens every port; name the API port " + port + " or the management port " + management);
                    }
                    if (rule.path("from").isEmpty()) {
                        problems.add(service + ": " + name + " accepts traffic from anywhere");
                    }
                    for (JsonNode peer : rule.path("from")) {
                        if (peer.has("ipBlock")) {
                            problems.add(service + ": " + name + " accepts an ipBlock " + peer.path("ipBlock"));
                        } else if (peer.has("namespaceSelector")) {
                            JsonNode selector = peer.path("namespaceSelector");
                            String namespace = selector.path("matchLabels").path("kubernetes.io/metadata.name").asText("");
                            if (selector.isEmpty() || namespace.isEmpty() || selector.has("matchExpressions")) {
                                problems.add(service + ": " + name + " accepts namespaces " + selector + " (name one namespace by kubernetes.io/metadata.name)");
                            } else if (namespace.equals(MONITORING_NAMESPACE)) {
                                if (ports.stream().anyMatch(p -> p != management)) {
                                    problems.add(service + ": " + name + " lets the namespace " + MONITORING_NAMESPACE + " reach ports " + ports
                                            + "; monitoring may reach only the management port " + management);
                                }
                                monitoringReachesManagement |= ports.contains(management);
                            } else if (namespace.equals(INGRESS_NAMESPACE) && service.equals(GATEWAY)) {
                                if (ports.stream().anyMatch(p -> p != port)) {
                                    problems.add(service + ": " + name + " lets the ingress controller reach ports " + ports + "; only the API port " + port);
                                }
                                ingressReachesApi |= ports.contains(port);
                            } else {
                                problems.add(service + ": " + name + " accepts the namespace " + namespace);
                            }
                        } else if (peer.has("podSelector")) {
                            JsonNode selector = peer.path("podSelector");
                            List<String> others = workloads.stream()
                                    .filter(w -> !w.path("metadata").path("name").asText().equals(GATEWAY))
                                    .filter(w -> Manifest.selects(selector, w.path("spec").path("template").path("metadata").path("labels")))
                                    .map(Kustomize::describe).toList();
                            if (service.equals(GATEWAY) || selector.isEmpty() || !Manifest.selects(selector, gatewayLabels) || !others.isEmpty()) {
                                problems.add(service + ": " + name + " accepts pods " + selector + " that are not only the gateway's"
                                        + (others.isEmpty() ? "" : " (also " + others + ")"));
                            } else {
                                if (ports.stream().anyMatch(p -> p != port)) {
                                    problems.add(service + ": " + name + " lets the gateway reach ports " + ports + "; it calls only the API port " + port);
                                }
                                gatewayReachesApi |= ports.contains(port);
                            }
                        }
                    }
                }
            }
            if (service.equals(GATEWAY) && !ingressReachesApi) {
                problems.add(service + ": the ingress controller (namespace " + INGRESS_NAMESPACE + ") cannot reach its API port " + port);
            }
            if (!service.equals(GATEWAY) && !gatewayReachesApi) {
                problems.add(service + ": the gateway cannot reach its API port " + port);
            }
            if (!monitoringReachesManagement) {
                problems.add(service + ": Prometheus (namespace " + MONITORING_NAMESPACE + ") cannot reach its management port " + management);
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void theGatewaysPublicPortServesNoHealthOrMetrics(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        Optional<ObjectNode> gateway = m.find("Deployment", GATEWAY);
        assertThat(gateway).as("Deployment " + GATEWAY).isPresent();
        Map<String, String> env = m.environment(container(gateway.get(), GATEWAY), new ArrayList<>(), GATEWAY);
        ServiceSettings s = settings(GATEWAY);
        if (!s.managementEnabled(env) || s.managementPort(env) == s.httpPort(env)) {
            problems.add(GATEWAY + ": /q/metrics and /q/health are served on its public port " + s.httpPort(env)
                    + "; application.properties needs quarkus.management.enabled=true (quarkus.management.port=" + MANAGEMENT_PORT + ")");
        }
        for (ObjectNode ingress : m.ofKind("Ingress")) {
            for (JsonNode path : ingress.findValues("paths")) {
                for (JsonNode p : path) {
                    if (!p.path("path").asText().startsWith("/api")) {
                        problems.add("Ingress " + ingress.path("metadata").path("name").asText() + " routes " + p.path("path").asText() + "; only /api is public");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void theHopTokenPrivateKeyIsMountedOnlyIntoTheGatewayAndThePublicKeyIntoEveryService(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        List<ObjectNode> workloads = new ArrayList<>(m.ofKind("Deployment"));
        workloads.addAll(m.ofKind("StatefulSet"));
        for (ObjectNode workload : workloads) {
            String name = workload.path("metadata").path("name").asText();
            JsonNode pod = workload.path("spec").path("template").path("spec");
            for (JsonNode volume : pod.path("volumes")) {
                if (!volume.path("secret").path("secretName").asText().equals(HOP_TOKEN_SECRET)) {
                    continue;
                }
                Set<String> keys = new TreeSet<>();
                volume.path("secret").path("items").forEach(i -> keys.add(i.path("key").asText()));
                if (volume.path("secret").path("items").isEmpty()) {
                    problems.add(Kustomize.describe(workload) + ": mounts every key of " + HOP_TOKEN_SECRET + "; name the one it needs (items)");
                } else if (keys.contains(HOP_TOKEN_PRIVATE_KEY) && !name.equals(GATEWAY)) {
                    problems.add(Kustomize.describe(workload) + ": mounts the hop-token private key; only the gateway signs hop tokens");
                }
            }
        }
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty()) {
                continue;
            }
            boolean gateway = service.equals(GATEWAY);
            String variable = gateway ? "HOP_TOKEN_PRIVATE_KEY_LOCATION" : "HOP_TOKEN_PUBLIC_KEY_LOCATION";
            String key = gateway ? HOP_TOKEN_PRIVATE_KEY : HOP_TOKEN_PUBLIC_KEY;
            JsonNode container = container(deployment.get(), service);
            String location = m.environment(container, new ArrayList<>(), service).get(variable);
            if (location == null) {
                problems.add(service + ": " + variable + " is not set");
                continue;
            }
            String file = location.replaceFirst("^file:", "");
            boolean mounted = false;
            for (JsonNode volume : deployment.get().path("spec").path("template").path("spec").path("volumes")) {
                if (!volume.path("secret").path("secretName").asText().equals(HOP_TOKEN_SECRET)) {
                    continue;
                }
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (!mount.path("name").asText().equals(volume.path("name").asText())) {
                        continue;
                    }
                    for (JsonNode item : volume.path("secret").path("items")) {
                        mounted |= item.path("key").asText().equals(key)
                                && file.equals(mount.path("mountPath").asText() + "/" + item.path("path").asText());
                    }
                }
            }
            if (!mounted) {
                problems.add(service + ": " + variable + "=" + location + " is not the key " + key + " of the Secret " + HOP_TOKEN_SECRET + " mounted into it");
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyServiceConnectsToItsDatabaseAsItsOwnRoleFromItsOwnSecret(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        Map<String, String> secretOwner = new HashMap<>();
        Map<String, String> usernames = new HashMap<>();
        Set<String> superusers = new TreeSet<>();
        m.ofKind("StatefulSet").forEach(w -> w.path("spec").path("template").path("spec").path("containers").forEach(c -> c.path("env").forEach(e -> {
            if (e.path("name").asText().equals("POSTGRES_USER")) {
                String ref = e.path("valueFrom").path("secretKeyRef").path("name").asText("");
                superusers.add(e.has("value") ? e.path("value").asText() : secretValue(m, ref, e.path("valueFrom").path("secretKeyRef").path("key").asText()).orElse(""));
            }
        })));
        for (String service : Repository.services()) {
            Optional<ObjectNode> deployment = m.find("Deployment", service);
            if (deployment.isEmpty() || !settings(service).properties.containsKey("quarkus.datasource.jdbc.url")) {
                continue;
            }
            Map<String, JsonNode> env = new HashMap<>();
            container(deployment.get(), service).path("env").forEach(e -> env.put(e.path("name").asText(), e));
            JsonNode user = env.getOrDefault("DB_USER", Kustomize.YAML.missingNode()).path("valueFrom").path("secretKeyRef");
            JsonNode password = env.getOrDefault("DB_PASSWORD", Kustomize.YAML.missingNode()).path("valueFrom").path("secretKeyRef");
            if (user.isMissingNode() || password.isMissingNode()) {
                problems.add(service + ": DB_USER and DB_PASSWORD must both come from its database Secret (secretKeyRef)");
                continue;
            }
            String secret = user.path("name").asText();
            if (!password.path("name").asText().equals(secret)) {
                problems.add(service + ": DB_USER and DB_PASSWORD come from different Secrets");
            }
            String previous = secretOwner.putIfAbsent(secret, service);
            if (previous != null) {
                problems.add(service + " and " + previous + " share the database Secret " + secret + "; every service has a role of its own");
            }
            secretValue(m, secret, user.path("key").asText()).ifPresent(username -> {
                if (superusers.contains(username)) {
                    problems.add(service + ": connects as " + username + ", PostgreSQL's superuser");
                }
                String other = usernames.putIfAbsent(username, service);
                if (other != null) {
                    problems.add(service + " and " + other + " connect as the same role " + username);
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void theGatewayTakesTheOidcIssuerAndAudienceFromItsConfigMap(Path overlay) {
        Manifest m = manifest(overlay);
        Optional<ObjectNode> gateway = m.find("Deployment", GATEWAY);
        assertThat(gateway).as("Deployment " + GATEWAY).isPresent();
        JsonNode container = container(gateway.get(), GATEWAY);
        Map<String, String> fromConfigMaps = new HashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            m.find("ConfigMap", from.path("configMapRef").path("name").asText())
                    .ifPresent(c -> c.path("data").fields().forEachRemaining(e -> fromConfigMaps.put(e.getKey(), e.getValue().asText())));
        }
        assertThat(fromConfigMaps.get("OIDC_ISSUER")).as("OIDC_ISSUER in the gateway's ConfigMap").isNotNull().matches("https?://[^/\\s]+/\\S*");
        assertThat(fromConfigMaps.get("OIDC_AUDIENCE")).as("OIDC_AUDIENCE in the gateway's ConfigMap").isNotBlank();
    }

    /** A rendered Secret's value (secretGenerator writes data, base64), if the overlay renders that Secret. */
    private static Optional<String> secretValue(Manifest m, String secret, String key) {
        return m.find("Secret", secret).map(s -> s.path("data").path(key).asText(null))
                .map(v -> new String(java.util.Base64.getDecoder().decode(v), java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void gatewayAndQueueServiceAutoscaleAndEveryServiceHasADisruptionBudget(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        Set<String> scaled = new TreeSet<>();
        for (ObjectNode hpa : m.ofKind("HorizontalPodAutoscaler")) {
            JsonNode ref = hpa.path("spec").path("scaleTargetRef");
            if (m.find(ref.path("kind").asText(), ref.path("name").asText()).isEmpty()) {
                problems.add("HPA " + hpa.path("metadata").path("name").asText() + " scales " + ref + ", which does not exist");
            }
            if (!hpa.path("spec").path("metrics").toString().contains("\"cpu\"")) {
                problems.add("HPA " + hpa.path("metadata").path("name").asText() + " does not scale on CPU");
            }
            if (hpa.path("spec").path("minReplicas").asInt(1) > hpa.path("spec").path("maxReplicas").asInt()) {
                problems.add("HPA " + hpa.path("metadata").path("name").asText() + " minReplicas > maxReplicas");
            }
            scaled.add(ref.path("name").asText());
        }
        if (!scaled.containsAll(List.of(GATEWAY, "queue-service"))) {
            problems.add("HPAs exist for " + scaled + "; the gateway and queue-service must autoscale");
        }
        for (String service : Repository.services()) {
            m.find("Deployment", service).ifPresent(d -> {
                JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
                if (m.ofKind("PodDisruptionBudget").stream().noneMatch(p -> Manifest.selects(p.path("spec").path("selector"), labels))) {
                    problems.add(service + ": no PodDisruptionBudget selects its pods");
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyPodRunsNonRootReadOnlyWithoutCapabilitiesAndWithResourceLimits(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        List<ObjectNode> workloads = new ArrayList<>(m.ofKind("Deployment"));
        workloads.addAll(m.ofKind("StatefulSet"));
        for (ObjectNode workload : workloads) {
            String name = Kustomize.describe(workload);
            JsonNode pod = workload.path("spec").path("template").path("spec");
            if (!pod.path("securityContext").path("runAsNonRoot").asBoolean(false)) {
                problems.add(name + ": pod securityContext.runAsNonRoot is not true");
            }
            if (!pod.path("securityContext").path("seccompProfile").path("type").asText().equals("RuntimeDefault")) {
                problems.add(name + ": pod seccompProfile is not RuntimeDefault");
            }
            for (JsonNode c : pod.path("containers")) {
                String cn = name + " container " + c.path("name").asText();
                JsonNode sc = c.path("securityContext");
                if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
                    problems.add(cn + ": allowPrivilegeEscalation is not false");
                }
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                    problems.add(cn + ": readOnlyRootFilesystem is not true");
                }
                if (!sc.path("capabilities").path("drop").toString().contains("\"ALL\"")) {
                    problems.add(cn + ": does not drop ALL capabilities");
                }
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (c.path("resources").path(kind).path(resource).isMissingNode()) {
                            problems.add(cn + ": no resources." + kind + "." + resource);
                        }
                    }
                }
                boolean tmp = false;
                for (JsonNode mount : c.path("volumeMounts")) {
                    tmp |= mount.path("mountPath").asText().equals("/tmp");
                }
                if (!tmp) {
                    problems.add(cn + ": read-only root filesystem but no writable /tmp volume");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void credentialsComeFromSecretsAndEverySecretNotShippedIsDocumented(Path overlay) {
        Manifest m = manifest(overlay);
        List<String> problems = new ArrayList<>();
        for (ObjectNode configMap : m.ofKind("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(key -> {
                if (SECRET_LOOKING.matcher(key.toUpperCase()).matches()) {
                    problems.add("ConfigMap " + configMap.path("metadata").path("name").asText() + " holds " + key + "; credentials belong in a Secret");
                }
            });
        }
        String deploymentDoc = Repository.read(Repository.resolve("docs/deployment.md"));
        List<ObjectNode> workloads = new ArrayList<>(m.ofKind("Deployment"));
        workloads.addAll(m.ofKind("StatefulSet"));
        for (ObjectNode workload : workloads) {
            for (JsonNode volume : workload.path("spec").path("template").path("spec").path("volumes")) {
                String secretName = volume.path("secret").path("secretName").asText("");
                if (!secretName.isEmpty() && m.find("Secret", secretName).isEmpty() && !volume.path("secret").path("optional").asBoolean(false)
                        && !deploymentDoc.contains(secretName)) {
                    problems.add(Kustomize.describe(workload) + ": Secret volume " + secretName
                            + " is expected from outside the overlay but docs/deployment.md does not say how to create it");
                }
            }
            for (JsonNode c : workload.path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode e : c.path("env")) {
                    String variable = e.path("name").asText();
                    if (SECRET_LOOKING.matcher(variable).matches() && !e.path("valueFrom").has("secretKeyRef")) {
                        problems.add(Kustomize.describe(workload) + ": " + variable + " is not taken from a Secret");
                    }
                    JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                    if (ref.isMissingNode()) {
                        continue;
                    }
                    String secretName = ref.path("name").asText();
                    Optional<ObjectNode> secret = m.find("Secret", secretName);
                    if (secret.isPresent()) {
                        if (!secret.get().path("data").has(ref.path("key").asText()) && !secret.get().path("stringData").has(ref.path("key").asText())
                                && !ref.path("optional").asBoolean(false)) {
                            problems.add(Kustomize.describe(workload) + ": Secret " + secretName + " has no key " + ref.path("key").asText());
                        }
                    } else if (m.find("KafkaUser", secretName).isPresent()) {
                        if (!KAFKA_USER_SECRET_KEYS.contains(ref.path("key").asText())) {
                            problems.add(Kustomize.describe(workload) + ": the Secret the Strimzi User Operator writes for KafkaUser " + secretName
                                    + " has no key " + ref.path("key").asText() + " (it has " + KAFKA_USER_SECRET_KEYS + ")");
                        }
                    } else if (!deploymentDoc.contains(secretName) || !deploymentDoc.contains(ref.path("key").asText())) {
                        problems.add(Kustomize.describe(workload) + ": Secret " + secretName + " (key " + ref.path("key").asText()
                                + ") is expected from outside the overlay but docs/deployment.md does not say how to create it");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
