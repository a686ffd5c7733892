package io.concertticket.infra;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), on loopback.
 * Storage is formatted on first start and reused afterwards, like a production node.
 *
 * <p>By default the listener is PLAINTEXT without authentication (local development only: loopback).
 * With {@link KafkaCredentials} it runs as in production: one SASL_PLAINTEXT listener where the services sign
 * in with SCRAM-SHA-512 as their own users, {@code StandardAuthorizer} with the ACLs of {@link KafkaAcls}
 * (nothing else allowed), the broker's own user {@value KafkaCredentials#ADMIN} (PLAIN) the only super user,
 * and the controller listener authenticated too. The users, their ACLs and the contract's topics are created
 * at start (users without the right to create topics cannot rely on automatic creation).
 */
public final class KafkaBroker implements AutoCloseable {

    /** Fixed cluster id: the log directory is tied to it, so a restart must present the same one. */
    private static final String CLUSTER_ID = "Y29uY2VydC1wbGF0Zm9ybQ";

    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private final KafkaRaftServer server;
    private final int port;
    private final KafkaCredentials credentials;

    private KafkaBroker(KafkaRaftServer server, int port, KafkaCredentials credentials) {
        this.server = server;
        this.port = port;
        this.credentials = credentials;
    }

    /** A PLAINTEXT broker without authentication (what run.sh and the tests use). */
    public static KafkaBroker start(int port, int controllerPort, Path dataDir, boolean clean, int defaultPartitions)
            throws IOException {
        return start(port, controllerPort, dataDir, clean, defaultPartitions, null);
    }

    /**
     * A broker; with {@code credentials} (not null) authenticated and authorised (SASL_PLAINTEXT, SCRAM-SHA-512,
     * the ACLs of {@link KafkaAcls}), else PLAINTEXT without authentication.
     */
    public static KafkaBroker start(int port, int controllerPort, Path dataDir, boolean clean, int defaultPartitions,
                                    KafkaCredentials credentials) throws IOException {
        if (clean) {
            deleteRecursively(dataDir);
        }
        Files.createDirectories(dataDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("num.partitions", Integer.toString(defaultPartitions));
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.retention.hours", "168");
        Map<String, String> secrets = new HashMap<>();
        if (credentials != null) {
            props.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
            props.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            props.put("inter.broker.listener.name", "CLIENT");
            // the services: SCRAM-SHA-512; the broker itself (and the admin client that sets up users and ACLs): PLAIN
            props.put("listener.name.client.sasl.enabled.mechanisms", KafkaCredentials.SCRAM + ",PLAIN");
            props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            props.put("sasl.enabled.mechanisms", "PLAIN");
            props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            props.put("sasl.mechanism.controller.protocol", "PLAIN");
            props.put("authorizer.class.name", AUTHORIZER);
            props.put("super.users", "User:" + KafkaCredentials.ADMIN);
            props.put("allow.everyone.if.no.acl.found", "false");
            props.put("auto.create.topics.enable", "false");
            secrets.put("listener.name.client.plain.sasl.jaas.config", credentials.adminJaasConfig(true));
            secrets.put("listener.name.controller.plain.sasl.jaas.config", credentials.adminJaasConfig(true));
            secrets.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }

        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            Path configFile = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "generated by local-infra for storage formatting");
            }
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = StorageTool$.MODULE$.execute(
                    new String[]{"format", "-t", CLUSTER_ID, "-c", configFile.toString(), "--ignore-formatted"},
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IOException("Kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
            }
        }
        props.putAll(secrets); // never written to the file above
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(server, port, credentials);
        if (credentials != null) {
            try {
                broker.createUsersAclsAndTopics(defaultPartitions);
            } catch (IOException | RuntimeException e) {
                broker.close();
                throw e;
            }
        }
        return broker;
    }

    /** The users of {@link KafkaAcls} with their passwords (upserted: a changed password file takes effect), their ACLs and topics. */
    private void createUsersAclsAndTopics(int partitions) throws IOException {
        Map<String, Object> config = new HashMap<>(adminClientConfig());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(config)) {
            List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = new ArrayList<>();
            for (String user : credentials.users()) {
                users.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        credentials.password(user)));
            }
            admin.alterUserScramCredentials(users).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(KafkaAcls.bindings()).all().get(60, TimeUnit.SECONDS);
            List<NewTopic> topics = KafkaAcls.topics().stream()
                    .map(t -> new NewTopic(t, t.endsWith(".dead-letter") ? 1 : partitions, (short) 1)).toList();
            for (var e : admin.createTopics(topics).values().entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("setting up Kafka users, ACLs and topics failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting up Kafka users", e);
        }
    }

    /** Settings an admin client needs for this broker: none for PLAINTEXT, the super user's login for SASL. */
    public Map<String, Object> adminClientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (credentials != null) {
            config.putAll(credentials.adminClientConfig());
        }
        return config;
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
