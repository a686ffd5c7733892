package io.concertticket.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.concertticket.testing.CloudEvents;
import io.concertticket.testing.HopTokens;
import io.concertticket.testing.KafkaTestConsumer;
import io.concertticket.testing.KafkaTestProducer;
import io.concertticket.testing.Sql;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Real HTTP, real Kafka and plain JDBC for the integration tests; ids are unique per test JVM and run. */
public final class TestSupport {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final AtomicLong RESERVATION_IDS = new AtomicLong(System.currentTimeMillis() * 1000);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .executor(Executors.newFixedThreadPool(8))
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static KafkaTestProducer producer;

    private TestSupport() {
    }

    public static String newUserId() {
        return "u-" + UUID.randomUUID();
    }

    public static long newReservationId() {
        return RESERVATION_IDS.incrementAndGet();
    }

    // ---------------------------------------------------------------- HTTP

    public record Reply(int status, String body, Map<String, List<String>> headers) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** The concert of every SeatHeld these tests publish (see {@link #seatHeld}). */
    public static final long CONCERT_ID = 7;
    public static final String AUDIENCE = "payment-service";

    /** A hop token of {@code account} without an admission: enough for the wallet routes. */
    public static String walletToken(String account) {
        return HopTokens.forAccount(account).audience(AUDIENCE).sign();
    }

    /** A hop token of {@code account} admitted to {@link #CONCERT_ID} with a fresh admission (queue token) id. */
    public static String admittedToken(String account) {
        return admittedToken(account, CONCERT_ID, UUID.randomUUID());
    }

    public static String admittedToken(String account, long concertId, UUID admissionId) {
        return HopTokens.forAccount(account).admittedTo(concertId, admissionId).audience(AUDIENCE).sign();
    }

    /** {@code bearer} null: no Authorization header; {@code extraHeaders}: name, value, name, value... */
    public static Reply post(String base, String path, String bearer, String idempotencyKey, String body,
                             String... extraHeaders) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        for (int i = 0; i < extraHeaders.length; i += 2) {
            b.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().map());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed", e);
        }
    }

    /** Charges {@code userId}'s wallet as {@code userId}. */
    public static Reply charge(String base, String userId, long amount, String key) {
        return charge(base, walletToken(userId), userId, amount, key);
    }

    /** Charges the wallet {@code pathUserId} with the caller of {@code bearer} (minted up front for races). */
    public static Reply charge(String base, String bearer, String pathUserId, long amount, String key) {
        return post(base, "/api/v1/users/" + pathUserId + "/points/charge", bearer, key, "{\"amount\":" + amount + "}");
    }

    /** Pays as {@code userId}, admitted to {@link #CONCERT_ID}. */
    public static Reply pay(String base, String userId, long reservationId, String key) {
        return payWith(base, admittedToken(userId), reservationId, key);
    }

    /** Pays with the caller of {@code bearer} (minted up front for races, or forged for attacks). */
    public static Reply payWith(String base, String bearer, long reservationId, String key) {
        return post(base, "/api/v1/payments", bearer, key, "{\"reservationId\":" + reservationId + "}");
    }

    /** Runs {@code tasks} on {@code threads} threads, all released at once by a start gate. */
    public static <T> List<T> race(int threads, List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch gate = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return task.call();
                }));
            }
            gate.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(5, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- database

    public static long queryLong(DataSource ds, String sql, Object... params) {
        return new Sql(ds).queryLong(sql, params);
    }

    public static String queryString(DataSource ds, String sql, Object... params) {
        return new Sql(ds).queryString(sql, params);
    }

    public static long balance(DataSource ds, String userId) {
        return queryLong(ds, "SELECT balance FROM wallet WHERE user_id = ?", userId);
    }

    // ---------------------------------------------------------------- Kafka

    public static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A CloudEvents 1.0 structured-mode document, as concert-service would publish it. */
    public static String cloudEvent(String type, String subject, Object data) {
        return CloudEvents.json("/concert-service", type, subject, data);
    }

    public static synchronized void produce(String topic, String key, String value) {
        if (producer == null) {
            producer = KafkaTestProducer.to(bootstrapServers());
        }
        producer.send(topic, key, value);
    }

    /** @return the event id */
    public static String seatHeld(long reservationId, String userId, long price, Instant expiresAt) {
        return seatHeld(reservationId, userId, CONCERT_ID, price, expiresAt);
    }

    /** @return the event id */
    public static String seatHeld(long reservationId, String userId, long concertId, long price, Instant expiresAt) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("reservationId", reservationId);
        data.put("userId", userId);
        data.put("concertId", concertId);
        data.put("scheduleId", 70);
        data.put("seatId", reservationId % 50 + 1);
        data.put("seatNumber", (int) (reservationId % 50 + 1));
        data.put("price", price);
        data.put("heldAt", Instant.now().toString());
        data.put("expiresAt", expiresAt.toString());
        return produceEvent(reservationId, cloudEvent("SeatHeld", "reservation/" + reservationId, data));
    }

    /** @return the event id */
    public static String reservationExpired(long reservationId, String userId) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("reservationId", reservationId);
        data.put("userId", userId);
        data.put("concertId", 7);
        data.put("scheduleId", 70);
        data.put("seatId", 1);
        data.put("seatNumber", 1);
        data.put("expiredAt", Instant.now().toString());
        return produceEvent(reservationId, cloudEvent("ReservationExpired", "reservation/" + reservationId, data));
    }

    private static String produceEvent(long reservationId, String event) {
        produce("concert.reservation-events", Long.toString(reservationId), event);
        try {
            return JSON.readTree(event).get("id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every record now in {@code topic} (all partitions, from the beginning). */
    public static List<ConsumerRecord<String, String>> readAll(String topic) {
        return KafkaTestConsumer.readAll(bootstrapServers(), topic);
    }
}
