package io.concertticket.events;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The relay loop, independent of CDI so that a test can run several side by side (as replicas would).
 *
 * <p>One batch = one local database transaction on its own connection:
 * <ol>
 *   <li>take the transaction-scoped advisory lock {@link #RELAY_LOCK}, waiting at most
 *       {@code lock-wait}: one replica relays at a time, so order per key holds across replicas
 *       (a waiting replica gets the lock the moment the other one's batch commits);</li>
 *   <li>read the oldest rows {@code ORDER BY seq ... FOR UPDATE SKIP LOCKED}: a row is never in two batches;</li>
 *   <li>send them all, wait until the broker acknowledged every one (acks=all, idempotent producer with one
 *       request in flight, so per partition they land in send order even when a request is refused and retried);</li>
 *   <li>delete them and commit.</li>
 * </ol>
 * A crash or failure anywhere before the commit leaves the rows in place and they are sent again:
 * delivery is at least once, consumers are idempotent.
 *
 * <p>Why one lock rather than N lock buckets by key hash: a single relay publishes thousands of
 * events per second (one round trip to the broker per batch of up to {@code batch-size}), far more
 * than the services produce; buckets would only add parallelism we do not need, and a replica that
 * waits for the lock takes over within milliseconds when the holder dies (the lock goes with its
 * connection). A replica that freezes or is cut off while holding it (no FIN reaches PostgreSQL) loses it
 * when PostgreSQL ends its idle transaction ({@code idle_in_transaction_session_timeout}, set per service
 * in application.properties; the batch raises it for itself to send-timeout + 10 s) or notices the dead
 * peer (TCP keepalives): see docs/deployment.md, "Stuck sessions and locks".
 */
final class OutboxRelayWorker {

    private static final Logger LOG = Logger.getLogger(OutboxRelayWorker.class);

    /** Arbitrary constant identifying "the outbox relay" among the advisory locks of a database. */
    static final long RELAY_LOCK = 0x0B0C5EEDL;
    /** Added to send-timeout for the batch transaction's own idle-in-transaction limit. */
    private static final long IDLE_MARGIN_MS = 10_000;
    /** Returned by {@link #relayBatch()} when another replica holds the lock. */
    static final int BUSY = -1;

    /** Test hook: a point in the batch where a "crash" can be injected. */
    interface CrashPoint {
        /** Called after the broker acknowledged the batch and before the rows are deleted. */
        void afterAcknowledged(int rows) throws Exception;
    }

    private final String name;
    private final DataSource dataSource;
    private final Supplier<Producer<String, String>> producers;
    private final EventBackboneConfig.Relay config;
    private final OutboxMetrics metrics;
    private final Tracer tracer;
    private final Semaphore wakeUp = new Semaphore(0);
    private final java.util.concurrent.atomic.AtomicLong publishedRows = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong failedBatches = new java.util.concurrent.atomic.AtomicLong();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean running;
    private volatile CrashPoint crashPoint;
    private Thread thread;
    private Producer<String, String> producer;

    OutboxRelayWorker(String name, DataSource dataSource, Supplier<Producer<String, String>> producers,
                      EventBackboneConfig.Relay config, OutboxMetrics metrics) {
        this(name, dataSource, producers, config, metrics, io.opentelemetry.api.OpenTelemetry.noop().getTracer("outbox"));
    }

    OutboxRelayWorker(String name, DataSource dataSource, Supplier<Producer<String, String>> producers,
                      EventBackboneConfig.Relay config, OutboxMetrics metrics, Tracer tracer) {
        this.name = name;
        this.dataSource = dataSource;
        this.producers = producers;
        this.config = config;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    void crashPoint(CrashPoint crashPoint) {
        this.crashPoint = crashPoint;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        // a thread of its own, not a scheduled job: a commit wakes it at once (no period added to every event's
        // latency), it loops without pause while batches are full, and a stop lets its batch in flight finish
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Called after a commit that wrote outbox rows: publish now rather than at the next poll. */
    void wake() {
        wakeUp.release();
    }

    /** Rows this worker published (acknowledged and deleted). */
    long publishedRows() {
        return publishedRows.get();
    }

    /** Batches that failed and were retried after a back-off. */
    long failedBatches() {
        return failedBatches.get();
    }

    boolean isRunning() {
        return running && thread != null && thread.isAlive();
    }

    /**
     * Lets the batch in flight finish (its rows are deleted only if the broker acknowledged them),
     * then closes the producer. Rows left behind are published by the next relay that runs.
     */
    void stop(Duration timeout) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        stopSignal.countDown();
        wakeUp.release();
        if (t != null) {
            try {
                t.join(Math.max(1, timeout.toMillis()));
                if (t.isAlive()) {
                    StringBuilder where = new StringBuilder();
                    for (StackTraceElement e : t.getStackTrace()) {
                        where.append("\n\tat ").append(e);
                    }
                    LOG.warnf("%s: batch still in flight after %s; interrupting it (its rows will be sent again). It was at:%s",
                            name, timeout, where);
                    t.interrupt();
                    t.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer(Duration.ofSeconds(1));
    }

    private void loop() {
        long backoffMs = 0;
        boolean moreNow = false;
        while (running) {
            try {
                if (backoffMs > 0) {
                    // A commit does not cut a back-off short: Kafka or the database is down, and
                    // hammering it on every commit would not bring it back sooner.
                    if (stopSignal.await(backoffMs, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } else if (!moreNow) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
                wakeUp.drainPermits();
                if (!running) {
                    return;
                }
                int n = relayBatch();
                // A full batch means there is probably more; BUSY means the lock wait timed out
                // while another replica relays, so look again at once (the wait itself is the pause).
                moreNow = n == config.batchSize() || n == BUSY;
                backoffMs = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                metrics.failure();
                failedBatches.incrementAndGet();
                closeProducer(Duration.ZERO); // a fresh producer after an outage: no stale state to recover from
                moreNow = false;
                backoffMs = backoffMs == 0 ? config.minBackoff().toMillis()
                        : Math.min(backoffMs * 2, config.maxBackoff().toMillis());
                LOG.warnf("%s: publishing failed (%s); retrying in %d ms", name, describe(e), backoffMs);
            }
        }
    }

    /** Publishes one batch; returns how many rows it published, or {@link #BUSY}. */
    int relayBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int n = relayBatch(c);
                c.commit();
                return n;
            } catch (Throwable e) {
                // Roll back before anything else touches the connection (setAutoCommit would commit).
                rollbackQuietly(c);
                if (e instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                    return BUSY; // lock_not_available: another replica is relaying
                }
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private int relayBatch(Connection c) throws Exception {
        // One round trip for the batch's settings and the lock: each round trip of the relay is one more wait for a
        // core when the machine is busy, and every event committed meanwhile waits for this batch to end.
        // This transaction sits idle while the broker acknowledges (up to send-timeout): the service's
        // idle_in_transaction_session_timeout (which ends the sessions of frozen or cut-off replicas, and
        // with them this lock) must not end a relay that is merely waiting for Kafka.
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '" + Math.max(1, config.lockWait().toMillis()) + "ms'; "
                    + "SET LOCAL idle_in_transaction_session_timeout = '" + (config.sendTimeout().toMillis() + IDLE_MARGIN_MS) + "ms'; "
                    + "SELECT pg_advisory_xact_lock(" + RELAY_LOCK + ")");
        }
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        List<Span> publishing = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT seq, event_id, topic, message_key, event_type, payload, created_at, traceparent FROM outbox_event "
                        + "ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, config.batchSize());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ProducerRecord<String, String> record = new ProducerRecord<>(rs.getString(3), rs.getString(4), rs.getString(6));
                    record.headers().add("content-type", EventEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                    record.headers().add("ce_id", rs.getString(2).getBytes(StandardCharsets.UTF_8));
                    record.headers().add("ce_type", rs.getString(5).getBytes(StandardCharsets.UTF_8));
                    String traceparent = rs.getString(8);
                    if (traceparent != null) {
                        // W3C Trace Context over Kafka headers, for tools that read the header (the envelope has it too)
                        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
                        publishing.add(publishSpan(traceparent, record, rs.getString(2), rs.getString(5)));
                    }
                    records.add(record);
                    seqs.add(rs.getLong(1));
                    created.add(rs.getTimestamp(7).toInstant());
                }
            }
        }
        if (records.isEmpty()) {
            return 0;
        }
        try {
            sendAndAwaitAcks(records);
        } catch (Exception e) {
            publishing.forEach(span -> span.setStatus(StatusCode.ERROR, describe(e)));
            throw e;
        } finally {
            publishing.forEach(Span::end); // a failed batch is sent again later: in new spans
        }
        CrashPoint crash = crashPoint;
        if (crash != null) {
            crash.afterAcknowledged(records.size());
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox_event WHERE seq = ANY(?)")) {
            Array array = c.createArrayOf("bigint", seqs.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        }
        metrics.published(records.size(), created);
        publishedRows.addAndGet(records.size());
        return records.size();
    }

    private void sendAndAwaitAcks(List<ProducerRecord<String, String>> records) throws Exception {
        Producer<String, String> p = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        // One deadline for the whole batch: while the broker is unreachable each send() may block
        // up to max.block.ms for metadata, and a batch of 500 must not take 500 times that.
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        for (ProducerRecord<String, String> record : records) {
            Future<RecordMetadata> ack = p.send(record);
            if (ack.isDone()) {
                ack.get(); // failed at once (no metadata, record too large…): the batch fails here
            }
            acks.add(ack);
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("sending the batch took longer than " + config.sendTimeout());
            }
        }
        // No producer.flush(): with linger.ms=0 the records are on their way already, and flush()
        // has no time limit (a fresh idempotent producer that cannot reach the broker to get its
        // producer id never expires its batches). The acks are awaited against one deadline; on
        // timeout the batch fails, the producer is closed (aborting what it still holds) and the
        // rows are sent again after the back-off.
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The span of publishing one traced event: a PRODUCER span in the trace of the transaction that wrote it (the
     * outbox row's traceparent), from the send to the broker's acknowledgement, beside the consumers' spans.
     */
    private Span publishSpan(String traceparent, ProducerRecord<String, String> record, String eventId, String eventType) {
        Context parent = TraceParents.parent(traceparent);
        return tracer.spanBuilder(record.topic() + " publish")
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "publish")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.message.id", eventId)
                .setAttribute("cloudevents.event_id", eventId)
                .setAttribute("cloudevents.event_type", eventType)
                .startSpan();
    }


    private synchronized Producer<String, String> producer() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    private synchronized void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (Exception e) {
                LOG.debugf("%s: closing producer: %s", name, e);
            }
            producer = null;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the transaction is too
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " / " + root;
    }
}
