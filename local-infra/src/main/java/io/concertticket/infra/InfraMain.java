package io.concertticket.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line entry point that brings up the platform's infrastructure: PostgreSQL with the
 * service databases (one role per database), a KRaft Kafka broker and Keycloak with the {@code concert}
 * realm, and the gateway's hop-token key pair. Used by {@code ./run.sh}, by the end-to-end tests
 * and (through {@link InfraProcess}) by every integration test: one way to start infrastructure.
 *
 * <p>Kafka is PLAINTEXT without authentication unless {@code --kafka-sasl} is given (see {@link KafkaBroker}).
 *
 * <p>Prints {@code INFRA READY postgres=<port> kafka=<port> keycloak=<port> keys=<dir>} once everything
 * accepts connections (-1 for what was not started), then runs until SIGTERM/Ctrl-C, or until stdin closes
 * when {@code --exit-on-stdin-close} is given (so a test JVM that dies never leaves a broker behind), or until
 * the process {@code --exit-with-process PID} ends (the build-wide Keycloak of the tests, which outlives the test
 * JVM that started it and stops with the Maven build).
 */
public final class InfraMain {

    public static final String READY_MARKER = "INFRA READY";
    static final List<String> DEFAULT_DATABASES = List.of("queue", "concert", "payment");

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.help) {
            System.out.println(Options.USAGE);
            return;
        }
        List<AutoCloseable> started = new ArrayList<>();
        Runnable stopAll = () -> {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("stop failed: " + e);
                }
            }
            started.clear();
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (started) {
                stopAll.run();
            }
            stopped.countDown();
        }, "infra-shutdown"));

        int postgresPort = -1;
        int kafkaPort = -1;
        int keycloakPort = -1;
        HopTokenKeys keys = HopTokenKeys.createIfAbsent(o.dataDir.resolve("keys"));
        synchronized (started) {
            if (o.postgres) {
                postgresPort = o.postgresPort == 0 ? freePort() : requireFree(o.postgresPort, "PostgreSQL", "POSTGRES_PORT");
                PostgresServer pg = PostgresServer.start(postgresPort, o.dataDir.resolve("postgres"), o.clean, !o.unsafeNoFsync, o.databases);
                if (o.unsafeNoFsync) {
                    // said where the operator sees it: a machine crash may lose committed transactions from now on
                    System.out.println("WARNING: PostgreSQL runs with fsync, synchronous_commit and full_page_writes OFF "
                            + "(--unsafe-no-fsync): committed data may be lost in a machine crash");
                }
                started.add(pg);
            }
            if (o.kafka) {
                kafkaPort = o.kafkaPort == 0 ? freePort() : requireFree(o.kafkaPort, "Kafka", "KAFKA_PORT");
                int controllerPort = o.controllerPort == 0 ? freePort() : requireFree(o.controllerPort, "Kafka controller", "KAFKA_CONTROLLER_PORT");
                KafkaCredentials credentials = o.kafkaSasl
                        ? KafkaCredentials.createIfAbsent(o.dataDir.resolve("kafka-users"), KafkaAcls.users()) : null;
                KafkaBroker kafka = KafkaBroker.start(kafkaPort, controllerPort, o.dataDir.resolve("kafka"), o.clean, o.partitions,
                        credentials);
                started.add(kafka);
                KafkaReadiness.await(kafka.adminClientConfig(), java.time.Duration.ofSeconds(60));
                if (credentials != null) {
                    System.out.println("Kafka requires SASL (SCRAM-SHA-512): users " + credentials.users()
                            + ", passwords and client settings in " + credentials.directory().toAbsolutePath());
                }
            }
            if (o.keycloak) {
                keycloakPort = o.keycloakPort == 0 ? freePort() : requireFree(o.keycloakPort, "Keycloak", "KEYCLOAK_PORT");
                KeycloakServer keycloak = KeycloakServer.start(keycloakPort, freePort(), o.dataDir.resolve("keycloak"), o.clean);
                started.add(keycloak);
            }
        }
        // keys= last: the rest of the line is the directory, whatever characters it holds
        System.out.println(READY_MARKER + " postgres=" + postgresPort + " kafka=" + kafkaPort + " keycloak=" + keycloakPort
                + " keys=" + keys.directory().toAbsolutePath());
        System.out.flush();

        if (o.exitOnStdinClose) {
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // drain: only end-of-stream matters
                    }
                } catch (IOException ignored) {
                    // parent gone
                }
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        if (o.exitWithProcess > 0) {
            ProcessHandle.of(o.exitWithProcess).ifPresentOrElse(
                    owner -> owner.onExit().thenRun(() -> System.exit(0)),
                    () -> System.exit(0));
        }
        stopped.await();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    static int requireFree(int port, String what, String variable) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            System.err.println("Port " + port + " for " + what + " is already in use. Free it, or choose another port with "
                    + variable + "=<port>.");
            System.exit(2);
            return -1;
        }
    }

    static final class Options {
        static final String USAGE = """
                Usage: InfraMain [options]
                  --data-dir DIR              where PostgreSQL, Kafka and Keycloak keep their data (default .data)
                  --postgres-port N           PostgreSQL port, 0 = any free port (default 5432)
                  --kafka-port N              Kafka broker port, 0 = any free port (default 9092)
                  --kafka-controller-port N   KRaft controller port, 0 = any free port (default 9093)
                  --partitions N              default partitions of auto-created topics (default 3)
                  --kafka-sasl                Kafka as in production: SASL_PLAINTEXT, a SCRAM-SHA-512 user per service
                                              with the ACLs of kafka/kafka-acls.txt, nothing else allowed; passwords
                                              (random, kept) in <data dir>/kafka-users/<user>.password, client
                                              settings in <user>.properties. Default: PLAINTEXT, no authentication
                  --keycloak-port N           Keycloak HTTP port, 0 = any free port (default 8180); also
                                              starts Keycloak after an earlier --no-keycloak
                  --databases a,b,c           databases to create, each with a role of the same name
                                              and password (default queue,concert,payment)
                  --no-postgres | --no-kafka | --no-keycloak   leave one out
                The hop-token key pair is created once in <data dir>/keys/ (hop-token-private.pem, PKCS#8;
                hop-token-public.pem, X.509 SubjectPublicKeyInfo).
                  --clean                     delete existing data first
                  --unsafe-no-fsync           PostgreSQL without fsync, synchronous_commit and full_page_writes:
                                              faster, but a machine crash may lose committed data. Only for
                                              throw-away data (load tests); the default is durable
                  --exit-on-stdin-close       stop when the parent process closes stdin
                  --exit-with-process PID     stop when the process PID ends
                """;
        Path dataDir = Path.of(".data");
        int postgresPort = 5432;
        int kafkaPort = 9092;
        int controllerPort = 9093;
        int keycloakPort = 8180;
        int partitions = 3;
        List<String> databases = DEFAULT_DATABASES;
        boolean postgres = true;
        boolean kafka = true;
        boolean keycloak = true;
        boolean kafkaSasl;
        boolean clean;
        boolean unsafeNoFsync;
        boolean exitOnStdinClose;
        long exitWithProcess;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data-dir" -> o.dataDir = Path.of(args[++i]);
                    case "--postgres-port" -> o.postgresPort = Integer.parseInt(args[++i]);
                    case "--kafka-port" -> o.kafkaPort = Integer.parseInt(args[++i]);
                    case "--kafka-controller-port" -> o.controllerPort = Integer.parseInt(args[++i]);
                    case "--keycloak-port" -> {
                        o.keycloakPort = Integer.parseInt(args[++i]);
                        o.keycloak = true;
                    }
                    case "--partitions" -> o.partitions = Integer.parseInt(args[++i]);
                    case "--databases" -> o.databases = Arrays.asList(args[++i].split(","));
                    case "--no-postgres" -> o.postgres = false;
                    case "--no-kafka" -> o.kafka = false;
                    case "--no-keycloak" -> o.keycloak = false;
                    case "--kafka-sasl" -> o.kafkaSasl = true;
                    case "--clean" -> o.clean = true;
                    case "--unsafe-no-fsync" -> o.unsafeNoFsync = true;
                    // the old name of the opt-out: no longer honoured, so that nobody loses data by accident
                    case "--fast" -> System.err.println(
                            "--fast is ignored: PostgreSQL is durable by default; --unsafe-no-fsync turns fsync off, explicitly");
                    case "--exit-on-stdin-close" -> o.exitOnStdinClose = true;
                    case "--exit-with-process" -> o.exitWithProcess = Long.parseLong(args[++i]);
                    case "--help", "-h" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            return o;
        }
    }
}
