package io.concertticket.load.ceilings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU went during a run: user+system time of the platform's processes (found by their
 * command lines in /proc), of this driver, and of the whole machine (other builds included), as a
 * percentage of one core. Linux only; elsewhere it reports nothing.
 */
public final class CpuSampler {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    /** label → a substring of the process command line ({@code -jar …} as ./run.sh starts them). */
    private final Map<String, String> services = new LinkedHashMap<>();
    /** ./run.sh's data directory: tells its PostgreSQL and Kafka from the test infrastructure of other builds. */
    private final String dataDir;

    public CpuSampler(String dataDir) {
        this.dataDir = dataDir;
        services.put("gateway", "api-gateway/target/quarkus-app");
        services.put("queue", "queue-service/target/quarkus-app");
        services.put("concert", "concert-service/target/quarkus-app");
        services.put("payment", "payment-service/target/quarkus-app");
        services.put("bare-proxy", "io.concertticket.load.ceilings.BareProxy");
    }

    public record Sample(long nanos, Map<String, Long> ticks, long machineBusy, long machineTotal) {
    }

    private record Proc(long pid, long ppid, long ticks, String cmd) {
    }

    public Sample sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        services.keySet().forEach(k -> ticks.put(k, 0L));
        ticks.put("postgres", 0L);
        ticks.put("kafka", 0L);
        ticks.put("driver", 0L);
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            Map<Long, Proc> all = new HashMap<>();
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    // the command name (field 2) may contain spaces: count fields after its closing parenthesis
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(p.getFileName().toString());
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    all.put(pid, new Proc(pid, Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]), cmd));
                } catch (IOException | RuntimeException ignored) {
                    // the process ended while we looked
                }
            });
            for (Proc p : all.values()) {
                String label = classify(p, all, self);
                if (label != null) {
                    ticks.merge(label, p.ticks(), Long::sum);
                }
            }
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            long total = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                total += Long.parseLong(cpu[i]);
            }
            return new Sample(System.nanoTime(), ticks, total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new Sample(System.nanoTime(), Map.of(), 0, 0);
        }
    }

    private String classify(Proc p, Map<Long, Proc> all, long self) {
        if (p.pid() == self) {
            return "driver";
        }
        for (Map.Entry<String, String> e : services.entrySet()) {
            if (p.cmd().contains(e.getValue())) {
                return e.getKey();
            }
        }
        if (isPostmaster(p)) {
            return "postgres";
        }
        Proc parent = all.get(p.ppid());
        if (parent != null && isPostmaster(parent)) {
            return "postgres"; // a backend of the platform's server
        }
        if (p.cmd().contains("local-infra") && p.cmd().contains(dataDir)) {
            return "kafka"; // ./run.sh's infrastructure JVM: the Kafka broker
        }
        return null;
    }

    private boolean isPostmaster(Proc p) {
        return p.cmd().contains("bin/postgres") && p.cmd().contains(dataDir);
    }

    /** "gateway 93% queue 61% … machine 198% of 200%": per process, % of one core. */
    public static String between(Sample before, Sample after) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        if (seconds <= 0 || after.ticks().isEmpty()) {
            return "cpu: n/a";
        }
        StringBuilder out = new StringBuilder("cpu (% of one core):");
        after.ticks().forEach((k, v) -> {
            long d = v - before.ticks().getOrDefault(k, 0L);
            if (d > 0) {
                out.append(String.format(" %s %.0f%%", k, 100.0 * d / TICKS_PER_SECOND / seconds));
            }
        });
        long busy = after.machineBusy() - before.machineBusy();
        long total = after.machineTotal() - before.machineTotal();
        int cores = Runtime.getRuntime().availableProcessors();
        if (total > 0) {
            out.append(String.format("; machine %.0f%% of %d%%", 100.0 * cores * busy / total, 100 * cores));
        }
        return out.toString();
    }
}
