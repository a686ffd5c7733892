package io.concertticket.queue.application;

import io.agroal.api.AgroalDataSource;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.ConcurrentHttp;
import io.concertticket.queue.QueueTestSupport;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.concertticket.testing.HopTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static io.concertticket.queue.QueueTestSupport.freshConcertId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poll cost with 10 people waiting versus 100,000 (with 1,000 dropped places in the line). Not part
 * of the normal test run (the name does not match the surefire includes) and it asserts no timing:
 * it reports. Run it on purpose:
 * {@code ./mvnw -o -q -pl queue-service verify -Dtest=PollLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * Results go to stdout and {@code target/poll-benchmark.txt}. Sizes: -Dbench.polls, -Dbench.threads, -Dbench.sample.
 */
@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class PollLatencyBenchmark {

    private static final int POLLS = Integer.getInteger("bench.polls", 20_000);
    private static final int THREADS = Integer.getInteger("bench.threads", 16);
    private static final int SAMPLE = Integer.getInteger("bench.sample", 2_000);

    @TestHTTPResource("/api/v1/queue/tokens")
    URI tokens;
    @Inject
    AgroalDataSource db;
    @Inject
    PollQueueToken pollUseCase;
    @Inject
    QueueReadModel readModel;

    @Test
    void pollLatencyWithTenVersusOneHundredThousandWaiting() throws Exception {
        List<String> report = new ArrayList<>();
        for (int waiting : new int[]{10, 100_000}) {
            long concert = freshConcertId();
            long started = System.nanoTime();
            List<Place> sample = fillRoom(concert, waiting, waiting >= 10_000 ? 1_000 : 0);
            report.add(String.format("room with %,d waiting (filled in %.1f s), sample of %,d tokens:", waiting,
                    (System.nanoTime() - started) / 1e9, sample.size()));
            readModel.refresh();

            // first poll of each sampled token on this replica: loads it from the database once
            long[] cold = new long[sample.size()];
            for (int i = 0; i < sample.size(); i++) {
                long t0 = System.nanoTime();
                pollUseCase.poll(sample.get(i).id(), sample.get(i).owner());
                cold[i] = System.nanoTime() - t0;
            }
            report.add("  first poll (cache miss), in process: " + stats(cold));

            // warm: the use case alone, then the whole HTTP path with concurrent clients
            long[] inProcess = new long[POLLS];
            for (int i = 0; i < POLLS; i++) {
                Place p = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
                long t0 = System.nanoTime();
                pollUseCase.poll(p.id(), p.owner());
                inProcess[i] = System.nanoTime() - t0;
            }
            report.add("  warm poll, in process:                " + stats(inProcess));
            HttpRun http = httpPolls(sample);
            report.add("  warm poll, HTTP, " + THREADS + " clients:          " + stats(http.latencies)
                    + String.format(", %,.0f polls/s", http.throughput));
        }
        report.forEach(System.out::println);
        Path out = Path.of("target", "poll-benchmark.txt");
        Files.write(out, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** A sampled token, its owner and a hop token of that owner signed in advance (signing is not measured). */
    private record Place(UUID id, String owner, String hopToken) {
    }

    /** Inserts the room's line directly (registration speed is not what is measured here). */
    private List<Place> fillRoom(long concert, int waiting, int dropped) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO waiting_room (concert_id, last_seq, abandoned_total) VALUES (?, ?, ?)")) {
                s.setLong(1, concert);
                s.setLong(2, waiting);
                s.setLong(3, dropped);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO queue_token (id, concert_id, user_id, seq, status, registered_at, last_polled_at) "
                    + "SELECT gen_random_uuid(), ?, 'bench-' || g, g, 'STANDBY', now(), now() FROM generate_series(1, ?) g")) {
                s.setLong(1, concert);
                s.setInt(2, waiting);
                s.executeUpdate();
            }
            if (dropped > 0) {
                try (PreparedStatement s = c.prepareStatement("UPDATE queue_token SET status = 'EXPIRED', expiry_reason = 'ABANDONED', expired_at = now() "
                        + "WHERE id IN (SELECT id FROM queue_token WHERE concert_id = ? ORDER BY random() LIMIT ?)")) {
                    s.setLong(1, concert);
                    s.setInt(2, dropped);
                    s.executeUpdate();
                }
            }
            c.commit();
            List<Place> sample = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, user_id FROM queue_token WHERE concert_id = ? AND status = 'STANDBY' ORDER BY random() LIMIT ?")) {
                s.setLong(1, concert);
                s.setInt(2, SAMPLE);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String owner = rs.getString(2);
                        sample.add(new Place(rs.getObject(1, UUID.class), owner,
                                HopTokens.forAccount(owner).audience(QueueTestSupport.AUDIENCE).lifetimeSeconds(3600).sign()));
                    }
                }
            }
            c.commit();
            assertThat(sample).isNotEmpty();
            return sample;
        }
    }

    private record HttpRun(long[] latencies, double throughput) {
    }

    private HttpRun httpPolls(List<Place> sample) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch gate = new CountDownLatch(1);
        int perThread = POLLS / THREADS;
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                runs.add(pool.submit(() -> {
                    long[] mine = new long[perThread];
                    gate.await();
                    for (int i = 0; i < perThread; i++) {
                        Place p = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
                        long t0 = System.nanoTime();
                        ConcurrentHttp.Result r = ConcurrentHttp.send(ConcurrentHttp.get(URI.create(tokens + "/" + p.id()), p.hopToken()));
                        mine[i] = System.nanoTime() - t0;
                        if (r.status() != 200) {
                            throw new IllegalStateException("poll answered " + r.status() + ": " + r.body());
                        }
                    }
                    return mine;
                }));
            }
            long t0 = System.nanoTime();
            gate.countDown();
            long[] all = new long[perThread * THREADS];
            int n = 0;
            for (Future<long[]> f : runs) {
                long[] part = f.get();
                System.arraycopy(part, 0, all, n, part.length);
                n += part.length;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new HttpRun(all, all.length / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String stats(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("p50 %7.3f ms, p99 %7.3f ms, max %8.3f ms (n=%,d)",
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6, s.length);
    }
}
