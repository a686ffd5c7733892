package io.concertticket.queue.application;

import io.agroal.api.AgroalDataSource;
import io.concertticket.infra.testing.RealInfrastructureResource;
import io.concertticket.queue.infrastructure.QueueReadModel;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.concertticket.queue.QueueTestSupport.freshConcertId;

/**
 * Registration while admission runs at the load-test pace (500 places per room every second, no active cap),
 * the situation of docs/performance.md finding 4: registrations (the use case, in process: no HTTP, no token
 * signing) from {@code bench.threads} threads into one room for {@code bench.seconds}, after a warm-up. Reports
 * registrations per second, latency, CPU per registration (this JVM, i.e. registration plus admission plus the
 * outbox relay, and the PostgreSQL server's processes), and how often registrations waited for a lock
 * (pg_stat_activity sampled every 10 ms). Not part of the normal test run (the name does not match the surefire
 * includes), no assertion on timing: it reports, to stdout and {@code target/registration-benchmark.txt}.
 * {@code ./mvnw -o -q -pl queue-service verify -Dtest=RegistrationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@QuarkusTest
@TestProfile(RegistrationBenchmark.LoadTestAdmission.class)
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "queue"))
class RegistrationBenchmark {

    private static final int THREADS = Integer.getInteger("bench.threads", 64);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmupSeconds", 10);

    /** The load-test settings of docs/performance.md ("Commands"), without the cap, so every round admits a full batch. */
    public static class LoadTestAdmission implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "queue.admission.scheduler-enabled", "true",
                    "queue.admission.batch-size", "500",
                    "queue.admission.tick", "1s",
                    "queue.admission.max-active-per-concert", "0");
        }
    }

    @Inject
    RegisterForQueue registration;
    @Inject
    QueueReadModel readModel;
    @Inject
    AgroalDataSource db;

    @Test
    void registrationWhileAdmissionRuns() throws Exception {
        run("warm-up", WARMUP_SECONDS);
        Run r = run("measured", SECONDS);
        List<String> report = new ArrayList<>();
        report.add(String.format("load average at the end: %s", Files.readString(Path.of("/proc/loadavg")).trim()));
        report.add(String.format("%d threads, %d s: %,d registrations, %,.0f /s, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                THREADS, SECONDS, r.count, r.count / (double) SECONDS, r.percentile(50), r.percentile(99), r.percentile(100)));
        report.add(String.format("admitted meanwhile: %,d tokens", r.admitted));
        report.add(String.format("CPU per registration: JVM %.0f µs (of it the admission thread %.0f µs), PostgreSQL %.0f µs",
                r.jvmCpuNanos / 1e3 / r.count, r.admissionCpuNanos / 1e3 / r.count, r.postgresCpuNanos / 1e3 / r.count));
        report.add(String.format("admission thread CPU per admitted token: %.1f µs", r.admissionCpuNanos / 1e3 / Math.max(1, r.admitted)));
        report.add(String.format("lock waits, %,d samples of pg_stat_activity: a registration waited for a lock in %,d (%.1f %%), "
                        + "%,d registration sessions waiting in all; any session waiting on a lock in %,d",
                r.samples, r.samplesWithRegistrationWaiting, 100.0 * r.samplesWithRegistrationWaiting / Math.max(1, r.samples),
                r.registrationWaits, r.samplesWithAnyWait));
        report.add("waiting queries (first 60 characters): " + r.waitingQueries);
        report.forEach(System.out::println);
        Files.write(Path.of("target", "registration-benchmark.txt"), report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static final class Run {
        long count;
        long[] latencies;
        long admitted;
        long jvmCpuNanos;
        long admissionCpuNanos;
        long postgresCpuNanos;
        int samples;
        int samplesWithRegistrationWaiting;
        int registrationWaits;
        int samplesWithAnyWait;
        Map<String, Integer> waitingQueries = new HashMap<>();

        double percentile(double p) {
            if (latencies.length == 0) {
                return 0;
            }
            int i = (int) Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    private Run run(String label, int seconds) throws Exception {
        long concert = freshConcertId();
        readModel.refresh();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        Run r = new Run();
        try {
            Future<?> sampler = pool.submit(() -> sampleLocks(stop, r));
            long admittedBefore = admitted(concert);
            long postgresBefore = postgresCpuNanos();
            long jvmBefore = jvmCpuNanos();
            long admissionBefore = admissionCpuNanos();
            List<Future<long[]>> clients = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                clients.add(pool.submit(() -> {
                    long[] mine = new long[1 << 16];
                    int n = 0;
                    while (!stop.get()) {
                        String account = "bench-" + concert + "-" + next.incrementAndGet();
                        long t0 = System.nanoTime();
                        registration.register(account, concert, null);
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - t0;
                    }
                    return Arrays.copyOf(mine, n);
                }));
            }
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : clients) {
                all.add(f.get());
            }
            r.jvmCpuNanos = jvmCpuNanos() - jvmBefore;
            r.admissionCpuNanos = admissionCpuNanos() - admissionBefore;
            r.postgresCpuNanos = postgresCpuNanos() - postgresBefore;
            sampler.get();
            r.admitted = admitted(concert) - admittedBefore;
            r.latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            r.count = r.latencies.length;
            System.out.printf("%s: %,d registrations in %d s%n", label, r.count, seconds);
            return r;
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    private void sampleLocks(AtomicBoolean stop, Run r) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT query FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
            while (!stop.get()) {
                int registrations = 0;
                int any = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String q = rs.getString(1);
                        any++;
                        r.waitingQueries.merge(q.substring(0, Math.min(60, q.length())), 1, Integer::sum);
                        if (q.startsWith("INSERT INTO waiting_room")) {
                            registrations++;
                        }
                    }
                }
                r.samples++;
                r.registrationWaits += registrations;
                r.samplesWithRegistrationWaiting += registrations > 0 ? 1 : 0;
                r.samplesWithAnyWait += any > 0 ? 1 : 0;
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long admitted(long concert) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM queue_token WHERE concert_id = ? AND activated_at IS NOT NULL")) {
            s.setLong(1, concert);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long admissionCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals("queue-admission")) {
                sum += threads.getThreadCpuTime(info.getThreadId());
            }
        }
        return sum;
    }

    /**
     * CPU of the PostgreSQL server this test uses: the postmaster and its live children (backends, WAL writer...),
     * plus what its children that ended already used (cutime/cstime), from /proc.
     */
    private long postgresCpuNanos() throws Exception {
        long postmaster;
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pg_backend_pid()");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            postmaster = Long.parseLong(stat(rs.getLong(1))[3]);
        }
        long ticks = 0;
        String[] own = stat(postmaster);
        ticks += Long.parseLong(own[13]) + Long.parseLong(own[14]) + Long.parseLong(own[15]) + Long.parseLong(own[16]);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String[] f = stat(Long.parseLong(p.getFileName().toString()));
                    if (Long.parseLong(f[3]) == postmaster) {
                        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    }
                } catch (Exception gone) {
                    // the process ended meanwhile
                }
            }
        }
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    /** The fields of /proc/<pid>/stat, numbered from 0 (the command in field 1 may contain spaces: cut after its ')'). */
    private static String[] stat(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String rest = s.substring(s.lastIndexOf(')') + 2);
        String[] tail = rest.split(" ");
        String[] f = new String[tail.length + 2];
        f[0] = Long.toString(pid);
        f[1] = "comm";
        System.arraycopy(tail, 0, f, 2, tail.length);
        return f;
    }
}
