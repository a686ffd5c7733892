package io.concertticket.kafkahealth;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether this application reaches the Kafka broker, as a <em>degraded</em> state rather than unreadiness.
 *
 * <p>The services keep answering while Kafka is away (holds, payments and queue changes commit with their events
 * in the outbox, published once the broker is back), and so does the gateway (Kafka brings it only revocations,
 * which arrive late). Taking a pod out of its Service would turn a delay of events into an outage of the API, so
 * readiness stays UP with {@code broker: DOWN} in its data (the Kafka connector's and Quarkus' own Kafka readiness
 * checks are turned off in each application.properties). What an operator watches instead:
 * <ul>
 *   <li>{@code kafka_broker_reachable} (1/0), alert {@code KafkaUnreachable} in {@code k8s/base/alerts.yaml};</li>
 *   <li>the wellness check {@code kafka} ({@code /q/health/well}): DOWN while the broker is unreachable, saying
 *       what waits meanwhile ({@code kafka-check.while-away});</li>
 *   <li>for the services, the outbox's {@code outbox_oldest_pending_age_seconds}: how far events are behind.</li>
 * </ul>
 * The broker is asked in the background (describe cluster, every {@code kafka-check.interval}), never on a
 * probe's thread, so a probe answers at once whatever the broker does.
 */
@ApplicationScoped
public class KafkaReachability {

    private static final Logger LOG = Logger.getLogger(KafkaReachability.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    KafkaCheckConfig config;
    @Inject
    MeterRegistry meters;

    private volatile Boolean reachable;          // null until the first check answered
    private volatile Instant since = Instant.now();
    private volatile String lastError = "";
    private ScheduledExecutorService checker;
    private Admin admin;

    void onStart(@Observes StartupEvent ev) {
        Gauge.builder("kafka.broker.reachable", this, k -> Boolean.TRUE.equals(k.reachable) ? 1 : 0)
                .description("1 while this application reaches the Kafka broker")
                .register(meters);
        // a thread of its own, not @Scheduled: the gateway, which has no scheduler, uses this module too, and a
        // check waits for the broker up to kafka-check.timeout
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kafka-reachability");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(this::check, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (checker != null) {
            checker.shutdownNow();
        }
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
                admin = null;
            }
        }
    }

    /** True or false once known; null before the first check answered. */
    public Boolean reachable() {
        return reachable;
    }

    void check() {
        boolean now;
        String error = "";
        try {
            int timeoutMs = (int) config.timeout().toMillis();
            admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                    .get(timeoutMs + 500L, TimeUnit.MILLISECONDS);
            now = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            now = false;
            error = String.valueOf(e.getCause() == null ? e : e.getCause());
        }
        Boolean before = reachable;
        if (before == null || before != now) {
            since = Instant.now();
            if (now) {
                LOG.infof("Kafka broker reachable%s", before == null ? "" : " again");
            } else {
                LOG.warnf("Kafka broker unreachable (%s): still serving; %s", error, config.whileAway());
            }
        }
        lastError = error;
        reachable = now;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>();
            kafkaConfig.forEach((k, v) -> {
                if (k.startsWith("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                    props.put(k, v);
                }
            });
            int timeoutMs = (int) config.timeout().toMillis();
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
            props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-reachability");
            admin = Admin.create(props);
        }
        return admin;
    }

    HealthCheckResponse response(boolean readiness) {
        Boolean r = reachable;
        String broker = r == null ? "UNKNOWN" : r ? "UP" : "DOWN";
        var builder = HealthCheckResponse.named("kafka")
                // readiness: always UP, the pod serves without Kafka; wellness: DOWN while the broker is away
                .status(readiness || !Boolean.FALSE.equals(r))
                .withData("broker", broker)
                .withData("since", since.toString());
        if (Boolean.FALSE.equals(r)) {
            builder.withData("degraded", config.whileAway())
                    .withData("error", lastError);
        }
        return builder.build();
    }

    /** Readiness: UP whatever the broker does, with its state in the data. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        KafkaReachability kafka;

        @Override
        public HealthCheckResponse call() {
            return kafka.response(true);
        }
    }

    /** Wellness ({@code /q/health/well}): DOWN while the broker is unreachable; nothing restarts or unroutes the pod. */
    @Wellness
    @ApplicationScoped
    public static class Well implements HealthCheck {
        @Inject
        KafkaReachability kafka;

        @Override
        public HealthCheckResponse call() {
            return kafka.response(false);
        }
    }
}
