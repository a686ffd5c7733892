package io.concertticket.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml against the services as they are in the repository. */
class ComposeMatchesServicesTest {

    private static final String GATEWAY = "api-gateway";
    private static final String KEYCLOAK = "keycloak";
    private static final String KEYCLOAK_IMAGE = "quay.io/keycloak/keycloak:26.5.6";
    private static final String REALM_FILE = "local-infra/src/main/resources/keycloak/concert-realm.json";
    private static final Pattern SERVICE_DATABASE = Pattern.compile("^service_database\\s+([a-z0-9_]+)\\s+([A-Z0-9_]+)\\s*$", Pattern.MULTILINE);
    private static final Pattern CREATE_DATABASE = Pattern.compile("(?i)CREATE\\s+DATABASE\\s+\"?([a-z0-9_]+)\"?");
    private static final Pattern CREATE_TOPIC = Pattern.compile("^\\s*create\\s+([A-Za-z0-9._-]+)\\s+\\d+", Pattern.MULTILINE);
    private static final Pattern URL = Pattern.compile("https?://([^:/]+):(\\d+).*");

    private final ComposeFile compose = ComposeFile.load();
    private final Map<String, ServiceSettings> settings = new HashMap<>();

    private ServiceSettings settings(String service) {
        return settings.computeIfAbsent(service, ServiceSettings::of);
    }

    @Test
    void everyServiceIsBuiltFromItsOwnDockerfile() {
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Map<String, Object> s = compose.service(service);
            if (s == null) {
                problems.add("no compose service " + service);
                continue;
            }
            Map<String, Object> build = ComposeFile.map(s.get("build"));
            Path context = Repository.root().resolve(String.valueOf(build.get("context"))).normalize();
            if (!context.equals(Repository.root())) {
                problems.add(service + ": build context " + build.get("context") + " is not the repository root (the images share deploy/docker)");
            }
            Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile"))).normalize();
            if (!dockerfile.equals(DockerImagesTest.dockerfile(service)) || !Files.isRegularFile(dockerfile)) {
                problems.add(service + ": dockerfile " + build.get("dockerfile") + " is not " + service + "/src/main/docker/Dockerfile.jvm");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyEnvironmentVariableSetForAServiceIsARealSettingOfIt() {
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Map<String, Object> s = compose.service(service);
            if (s == null) {
                continue;
            }
            ServiceSettings config = settings(service);
            boolean fileConvention = DockerImagesTest.entrypointSupportsFileVariables(service);
            Set<String> secrets = new TreeSet<>();
            if (s.get("secrets") instanceof List<?> list) {
                list.forEach(item -> secrets.add(item instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(item)));
            }
            ComposeFile.environment(s).forEach((variable, value) -> {
                if (config.explain(variable).isPresent()) {
                    return;
                }
                if (variable.endsWith("_FILE") && fileConvention) {
                    String target = variable.substring(0, variable.length() - "_FILE".length());
                    if (config.explain(target).isEmpty()) {
                        problems.add(service + ": " + variable + " would set " + target + ", which is no setting of " + service);
                    } else if (value == null || !value.startsWith("/run/secrets/") || !secrets.contains(value.substring("/run/secrets/".length()))) {
                        problems.add(service + ": " + variable + "=" + value + " is not one of its secrets " + secrets);
                    }
                    return;
                }
                problems.add(service + ": environment variable " + variable + " is no setting of " + service);
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void healthChecksProbeTheReadinessEndpointOnTheServicesPort() {
        List<String> problems = new ArrayList<>();
        for (String service : Repository.services()) {
            Map<String, Object> s = compose.service(service);
            if (s == null) {
                continue;
            }
            Map<String, String> env = ComposeFile.environment(s);
            ServiceSettings config = settings(service);
            String expected = "http://localhost:" + config.operationsPort(env) + config.readinessPath(env);
            String test = ComposeFile.text(ComposeFile.map(s.get("healthcheck")).get("test"));
            if (!test.contains(expected + " ") && !test.endsWith(expected)) {
                problems.add(service + ": healthcheck '" + test + "' does not call " + expected);
            }
            if (config.healthPaths(env).isEmpty()) {
                problems.add(service + ": has no health extension");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void servicesStartInOrderOfHealthAndOnlyTheGatewayIsPublished() {
        List<String> problems = new ArrayList<>();
        Set<String> names = compose.services().keySet();
        for (Map.Entry<String, Map<String, Object>> e : compose.services().entrySet()) {
            Object dependsOn = e.getValue().get("depends_on");
            if (dependsOn instanceof List<?>) {
                problems.add(e.getKey() + ": depends_on without conditions (start order must follow health)");
            }
            ComposeFile.map(dependsOn).forEach((dependency, spec) -> {
                String condition = String.valueOf(ComposeFile.map(spec).get("condition"));
                if (!names.contains(dependency)) {
                    problems.add(e.getKey() + " depends on unknown service " + dependency);
                } else if (!condition.equals("service_healthy") && !condition.equals("service_completed_successfully")) {
                    problems.add(e.getKey() + " depends on " + dependency + " with condition " + condition);
                } else if (condition.equals("service_healthy") && !compose.service(dependency).containsKey("healthcheck")) {
                    problems.add(e.getKey() + " waits for " + dependency + " to be healthy, but it has no healthcheck");
                }
            });
            if (e.getValue().containsKey("ports") && !e.getKey().equals(GATEWAY) && !e.getKey().equals(KEYCLOAK)) {
                problems.add(e.getKey() + " is published to the host; only the gateway and the identity provider (where users sign in) may be");
            }
        }
        Map<String, Object> gateway = compose.service(GATEWAY);
        if (gateway != null) {
            int port = settings(GATEWAY).httpPort(ComposeFile.environment(gateway));
            Object ports = gateway.get("ports");
            if (!(ports instanceof List<?> list) || list.stream().noneMatch(p -> String.valueOf(p).endsWith(":" + port))) {
                problems.add("the gateway's published ports " + ports + " do not lead to its HTTP port " + port);
            }
        }
        for (String service : Repository.services()) {
            Map<String, Object> s = compose.service(service);
            if (s == null) {
                continue;
            }
            Map<String, String> env = ComposeFile.environment(s);
            Map<String, Object> dependsOn = ComposeFile.map(s.get("depends_on"));
            for (String hostVariable : List.of("DB_HOST", "KAFKA_BOOTSTRAP_SERVERS")) {
                String value = env.get(hostVariable);
                if (value == null) {
                    continue;
                }
                String host = value.split(",")[0].replaceAll(":\\d+$", "");
                if (!names.contains(host)) {
                    problems.add(service + ": " + hostVariable + "=" + value + " names no compose service");
                } else if (!dependsOn.containsKey(host)) {
                    problems.add(service + ": uses " + host + " but does not wait for it (depends_on)");
                }
            }
            env.forEach((variable, value) -> {
                Matcher url = value == null ? null : URL.matcher(value);
                if (url != null && url.matches()) {
                    String host = url.group(1);
                    if (!names.contains(host)) {
                        problems.add(service + ": " + variable + "=" + value + " names no compose service");
                    } else if (!Repository.services().contains(host)) {
                        if (!dependsOn.containsKey(host)) {
                            problems.add(service + ": calls " + host + " but does not wait for it (depends_on)");
                        }
                    } else if (compose.service(host) != null
                            && settings(host).httpPort(ComposeFile.environment(compose.service(host))) != Integer.parseInt(url.group(2))) {
                        problems.add(service + ": " + variable + "=" + value + " but " + host + " listens on "
                                + settings(host).httpPort(ComposeFile.environment(compose.service(host))));
                    } else if (!dependsOn.containsKey(host)) {
                        problems.add(service + ": calls " + host + " but does not wait for it (depends_on)");
                    }
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void postgresCreatesEveryDatabaseOwnedByTheServicesOwnRoleAndKubernetesDevUsesTheSameScript() {
        Map<String, Object> postgres = compose.service("postgres");
        assertThat(postgres).as("compose service postgres").isNotNull();
        assertThat(String.valueOf(postgres.get("image"))).startsWith("postgres:17");
        Map<String, String> env = ComposeFile.environment(postgres);
        assertThat(env).as("the password comes from a secret file, not from the compose file").containsKey("POSTGRES_PASSWORD_FILE")
                .doesNotContainKey("POSTGRES_PASSWORD");
        String initMount = ((List<?>) postgres.get("volumes")).stream().map(String::valueOf)
                .filter(v -> v.contains("/docker-entrypoint-initdb.d/")).findFirst().orElseThrow();
        Path script = Repository.root().resolve(initMount.substring(0, initMount.indexOf(':'))).normalize();
        String text = Repository.read(script);
        Map<String, String> prefixOf = new HashMap<>();
        Matcher m = SERVICE_DATABASE.matcher(text);
        while (m.find()) {
            prefixOf.put(m.group(1), m.group(2));
        }
        String superuser = env.getOrDefault("POSTGRES_USER", "postgres");
        String superuserSecret = env.get("POSTGRES_PASSWORD_FILE");
        List<String> problems = new ArrayList<>();
        Map<String, String> roles = new HashMap<>();
        Set<String> needed = new TreeSet<>();
        for (String service : Repository.services()) {
            Map<String, Object> s = compose.service(service);
            if (s == null || !ComposeFile.environment(s).containsKey("DB_HOST")) {
                continue;
            }
            Map<String, String> serviceEnv = ComposeFile.environment(s);
            String database = settings(service).value("quarkus.datasource.jdbc.url", serviceEnv).orElseThrow()
                    .replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1");
            needed.add(database);
            String prefix = prefixOf.get(database);
            if (prefix == null) {
                problems.add(service + ": " + script.getFileName() + " creates no database " + database + " (service_database " + database + " PREFIX)");
                continue;
            }
            String role = settings(service).value("quarkus.datasource.username", serviceEnv).orElse("");
            if (role.equals(superuser)) {
                problems.add(service + ": connects as PostgreSQL's superuser " + superuser + "; it needs a role of its own");
            }
            String other = roles.putIfAbsent(role, service);
            if (other != null) {
                problems.add(service + " and " + other + " connect as the same role " + role);
            }
            if (!role.equals(env.getOrDefault(prefix + "_DB_USER", database))) {
                problems.add(service + ": connects as " + role + " but postgres creates the owner of " + database + " as "
                        + env.getOrDefault(prefix + "_DB_USER", database) + " (" + prefix + "_DB_USER)");
            }
            String passwordFile = serviceEnv.get("DB_PASSWORD_FILE");
            if (passwordFile == null || !passwordFile.equals(env.get(prefix + "_DB_PASSWORD_FILE"))) {
                problems.add(service + ": DB_PASSWORD_FILE=" + passwordFile + " is not the password postgres gives its role ("
                        + prefix + "_DB_PASSWORD_FILE=" + env.get(prefix + "_DB_PASSWORD_FILE") + ")");
            } else if (passwordFile.equals(superuserSecret)) {
                problems.add(service + ": reads the superuser's password file " + passwordFile);
            }
        }
        assertThat(needed).as("databases the services connect to").isNotEmpty();
        assertThat(problems).isEmpty();
        // one script for both: the k8s dev overlay generates its ConfigMap from deploy/postgres/kustomization.yaml
        assertThat(Repository.read(Repository.resolve("k8s/overlays/dev/kustomization.yaml")))
                .as("the k8s dev overlay takes the init script from deploy/postgres, not from a copy")
                .contains("- ../../../deploy/postgres");
        assertThat(Repository.resolve("k8s/overlays/dev/" + script.getFileName())).doesNotExist();
    }

    @Test
    void keycloakImportsTheLocalRealmAndTheGatewayDiscoversItInTheNetwork() {
        Map<String, Object> keycloak = compose.service(KEYCLOAK);
        assertThat(keycloak).as("compose service " + KEYCLOAK).isNotNull();
        assertThat(String.valueOf(keycloak.get("image"))).isEqualTo(KEYCLOAK_IMAGE);
        assertThat(ComposeFile.text(keycloak.get("command"))).contains("start-dev").contains("--import-realm");
        assertThat(((List<?>) keycloak.get("volumes")).stream().map(String::valueOf))
                .as("the realm file of local-infra, mounted for --import-realm")
                .anyMatch(v -> v.startsWith("./" + REALM_FILE + ":/opt/keycloak/data/import/"));
        assertThat(ComposeFile.environment(keycloak)).as("a fixed issuer, the same for every token").containsKey("KC_HOSTNAME");
        assertThat(keycloak).containsKey("healthcheck");
        Map<String, Object> gateway = compose.service(GATEWAY);
        String issuer = ComposeFile.environment(gateway).get("OIDC_ISSUER");
        assertThat(issuer).as("the gateway's OIDC_ISSUER").isNotNull().startsWith("http://" + KEYCLOAK + ":").endsWith("/realms/concert");
        assertThat(ComposeFile.map(gateway.get("depends_on"))).containsKey(KEYCLOAK);
        Path realm = Repository.resolve(REALM_FILE);
        assertThat(realm).as("the realm file").isRegularFile();
        assertThat(Repository.read(Repository.resolve("k8s/overlays/dev/concert-realm.json")))
                .as("k8s/overlays/dev/concert-realm.json is a copy of " + REALM_FILE + " (cp it)").isEqualTo(Repository.read(realm));
    }

    @Test
    void theHopTokenPrivateKeyIsASecretOfTheGatewayAloneAndThePublicKeyOfEveryService() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> topLevel = ComposeFile.map(compose.root.get("secrets"));
        String privateSecret = null;
        for (String service : Repository.services()) {
            Map<String, Object> s = compose.service(service);
            if (s == null) {
                continue;
            }
            String variable = service.equals(GATEWAY) ? "HOP_TOKEN_PRIVATE_KEY_LOCATION" : "HOP_TOKEN_PUBLIC_KEY_LOCATION";
            String location = ComposeFile.environment(s).getOrDefault(variable, "").replaceFirst("^file:", "");
            String secret = location.startsWith("/run/secrets/") ? location.substring("/run/secrets/".length()) : null;
            if (secret == null || !secretsOf(s).contains(secret)) {
                problems.add(service + ": " + variable + "=" + location + " is not one of its secrets " + secretsOf(s));
                continue;
            }
            String file = String.valueOf(ComposeFile.map(topLevel.get(secret)).get("file"));
            if (!file.matches("\\$\\{[A-Z0-9_]+:-\\./\\.data/[^}]+}")) {
                problems.add(service + ": the secret " + secret + " is read from " + file
                        + "; key files are generated into the git-ignored .data/ (overridable by a variable), never committed");
            }
            if (service.equals(GATEWAY)) {
                privateSecret = secret;
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : compose.services().entrySet()) {
            if (privateSecret != null && !e.getKey().equals(GATEWAY) && secretsOf(e.getValue()).contains(privateSecret)) {
                problems.add(e.getKey() + " gets the hop-token private key " + privateSecret + "; only the gateway signs hop tokens");
            }
        }
        assertThat(problems).isEmpty();
    }

    private static Set<String> secretsOf(Map<String, Object> service) {
        Set<String> secrets = new TreeSet<>();
        if (service.get("secrets") instanceof List<?> list) {
            list.forEach(item -> secrets.add(item instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(item)));
        }
        return secrets;
    }

    @Test
    void kafkaRunsInKraftModeAndEveryTopicAServiceUsesOrTheContractNamesIsCreated() {
        Map<String, Object> kafka = compose.service("kafka");
        assertThat(kafka).as("compose service kafka").isNotNull();
        assertThat(String.valueOf(kafka.get("image"))).startsWith("apache/kafka:");
        assertThat(ComposeFile.environment(kafka).get("KAFKA_PROCESS_ROLES")).contains("controller").contains("broker");
        Set<String> created = new TreeSet<>();
        for (Map<String, Object> s : compose.services().values()) {
            Matcher m = CREATE_TOPIC.matcher(ComposeFile.text(s.get("command")));
            while (m.find()) {
                created.add(m.group(1));
            }
        }
        Set<String> needed = new TreeSet<>(Contract.topics());
        Repository.services().forEach(service -> needed.addAll(settings(service).topics()));
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(created);
        Set<String> unused = new TreeSet<>(created);
        unused.removeAll(needed);
        assertThat(missing).as(Contract.explain("topics not created by compose", new HashMap<>())).isEmpty();
        assertThat(unused).as("topics compose creates that no service uses and the contract does not name").isEmpty();
    }

    @Test
    void composeFileHoldsNoPassword() {
        String text = Repository.read(Repository.resolve("docker-compose.yml"));
        for (Map.Entry<String, Map<String, Object>> e : compose.services().entrySet()) {
            ComposeFile.environment(e.getValue()).forEach((variable, value) -> {
                if (variable.matches(".*(PASSWORD|SECRET|PRIVATE_KEY)$")) {
                    throw new AssertionError(e.getKey() + " sets " + variable + " in docker-compose.yml; use a secret file (" + variable + "_FILE)");
                }
            });
        }
        // a password may only be filled in from a secret at run time: password="$$admin", password="%s", password=$$secret
        Matcher literal = Pattern.compile("(?i)password\\s*+=\\s*+(?!\\\\?\"?[$%])").matcher(text);
        assertThat(literal.find() ? text.substring(Math.max(0, literal.start() - 40), Math.min(text.length(), literal.end() + 20)) : null)
                .as("a literal password in docker-compose.yml").isNull();
        assertThat(text).doesNotContain("POSTGRES_PASSWORD:");
    }

    @Test
    void kafkaAcceptsOnlySignedInClientsAndEveryServiceSignsInAsItsOwnUserWithTheAclsOfLocalInfrasTable() {
        Map<String, Object> kafka = compose.service("kafka");
        Map<String, String> broker = ComposeFile.environment(kafka);
        List<String> problems = new ArrayList<>();
        for (String mapping : broker.getOrDefault("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "").split(",")) {
            if (!mapping.endsWith(":SASL_PLAINTEXT") && !mapping.endsWith(":SASL_SSL")) {
                problems.add("kafka: listener " + mapping + " lets clients in without signing in");
            }
        }
        if (!"org.apache.kafka.metadata.authorizer.StandardAuthorizer".equals(broker.get("KAFKA_AUTHORIZER_CLASS_NAME"))) {
            problems.add("kafka: no StandardAuthorizer (KAFKA_AUTHORIZER_CLASS_NAME): every signed-in user could write every topic");
        }
        if ("true".equalsIgnoreCase(broker.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"))) {
            problems.add("kafka: KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND=true");
        }
        if (!"User:admin".equals(broker.get("KAFKA_SUPER_USERS"))) {
            problems.add("kafka: KAFKA_SUPER_USERS=" + broker.get("KAFKA_SUPER_USERS") + "; only the broker's own user admin");
        }
        if (!broker.getOrDefault("KAFKA_LISTENERS", "").contains("CONTROLLER://localhost:")) {
            problems.add("kafka: the controller listener is reachable from the network (bind it to localhost)");
        }
        Map<String, Object> topLevel = ComposeFile.map(compose.root.get("secrets"));
        Map<String, String> userOfSecret = new HashMap<>();
        Set<String> users = new TreeSet<>();
        for (String service : Repository.services()) {
            Map<String, Object> s = compose.service(service);
            if (s == null || settings(service).topics().isEmpty()) {
                continue;
            }
            Map<String, String> env = ComposeFile.environment(s);
            if (!Set.of("SASL_PLAINTEXT", "SASL_SSL").contains(String.valueOf(env.get("KAFKA_SECURITY_PROTOCOL")))
                    || !"SCRAM-SHA-512".equals(env.get("KAFKA_SASL_MECHANISM"))) {
                problems.add(service + ": does not sign in to Kafka with SCRAM-SHA-512 (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM)");
            }
            String location = env.getOrDefault("KAFKA_SASL_JAAS_CONFIG_FILE", "");
            String secret = location.startsWith("/run/secrets/") ? location.substring("/run/secrets/".length()) : "";
            if (!secretsOf(s).contains(secret)) {
                problems.add(service + ": KAFKA_SASL_JAAS_CONFIG_FILE=" + location + " is not one of its secrets " + secretsOf(s));
                continue;
            }
            String other = userOfSecret.putIfAbsent(secret, service);
            if (other != null) {
                problems.add(service + " and " + other + " share the Kafka secret " + secret);
            }
            String file = String.valueOf(ComposeFile.map(topLevel.get(secret)).get("file")).replaceAll("^\\$\\{[A-Z0-9_]+:-(.*)}$", "$1");
            Path path = Repository.root().resolve(file).normalize();
            String jaas = Files.isRegularFile(path) ? Repository.read(path) : "";
            if (!jaas.contains("ScramLoginModule required username=\"" + service + "\" password=\"")) {
                problems.add(service + ": its Kafka secret " + file + " is not a SCRAM sasl.jaas.config for the user " + service);
            }
            users.add(service);
        }
        Set<String> tableUsers = new TreeSet<>();
        KafkaAccess.table().forEach(a -> tableUsers.add(a.user()));
        assertThat(users).as("services that sign in to Kafka = the users of " + KafkaAccess.TABLE).isEqualTo(tableUsers);
        Map<String, Object> setup = compose.service("kafka-topics");
        String command = ComposeFile.text(setup.get("command"));
        assertThat(((List<?>) setup.get("volumes")).stream().map(String::valueOf))
                .as("kafka-topics mounts local-infra's ACL table").anyMatch(v -> v.startsWith("./" + KafkaAccess.TABLE + ":"));
        assertThat(command).contains("kafka-acls.sh").contains("--add-config \"SCRAM-SHA-512=");
        for (String user : users) {
            if (!command.matches("(?s).*for user in [^;\\n]*\\b" + Pattern.quote(user) + "\\b.*")) {
                problems.add("kafka-topics: does not create the Kafka user " + user);
            }
        }
        assertThat(problems).isEmpty();
    }
}
