package io.concertticket.checker;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What the checker connects to and how long it lets events in flight settle.
 *
 * @param queueDb    JDBC URL of queue-service's database
 * @param concertDb  JDBC URL of concert-service's database
 * @param paymentDb  JDBC URL of payment-service's database
 * @param settle     how long to wait for the outboxes to drain and for violations caused by events still in
 *                   flight to disappear before reporting them; {@link Duration#ZERO} checks once
 * @param maxExamples violations listed per invariant (all are counted)
 */
public record CheckerOptions(String queueDb, String concertDb, String paymentDb, String user, String password,
                             Duration settle, int maxExamples) {

    public static final String USAGE = """
            Usage: invariant-checker --queue-db URL --concert-db URL --payment-db URL [options]

            Reads the three service databases in read-only transactions and checks the platform's
            invariants (docs/invariant-checker.md). Prints each invariant as HOLDS or VIOLATED, with
            examples. Exit code 0: all hold; 1: at least one violated; 2: bad usage or a database
            that cannot be read.

              --queue-db URL      JDBC URL of queue-service's database,   e.g. jdbc:postgresql://127.0.0.1:5432/queue
              --concert-db URL    JDBC URL of concert-service's database, e.g. jdbc:postgresql://127.0.0.1:5432/concert
              --payment-db URL    JDBC URL of payment-service's database, e.g. jdbc:postgresql://127.0.0.1:5432/payment
              --user NAME         database user (default: $CHECKER_DB_USER or postgres)
              --password SECRET   database password (default: $CHECKER_DB_PASSWORD or postgres)
              --settle DURATION   wait up to this long for outboxes to drain and in-flight events to be
                                  applied before reporting a violation (default 60s; 0 = check once).
                                  Accepts 30s, 2m, 500ms or ISO-8601 (PT30S).
              --examples N        violations shown per invariant (default 5)
              --help              this text
            """;

    public static CheckerOptions parse(String... args) {
        String queue = null;
        String concert = null;
        String payment = null;
        String user = envOr("CHECKER_DB_USER", "postgres");
        String password = envOr("CHECKER_DB_PASSWORD", "postgres");
        Duration settle = Duration.ofSeconds(60);
        int examples = 5;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--queue-db" -> queue = value(args, ++i, a);
                case "--concert-db" -> concert = value(args, ++i, a);
                case "--payment-db" -> payment = value(args, ++i, a);
                case "--user" -> user = value(args, ++i, a);
                case "--password" -> password = value(args, ++i, a);
                case "--settle" -> settle = duration(value(args, ++i, a));
                case "--examples" -> examples = positiveInt(value(args, ++i, a), a);
                case "--help", "-h" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (queue == null || concert == null || payment == null) {
            throw new UsageException("--queue-db, --concert-db and --payment-db are all required");
        }
        return new CheckerOptions(queue, concert, payment, user, password, settle, examples);
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int positiveInt(String v, String option) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " must be a positive whole number, got " + v);
    }

    static Duration duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("0")) {
                return Duration.ZERO;
            }
            if (s.startsWith("p")) {
                return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new UsageException("bad duration " + v);
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new UsageException("bad duration " + v + " (use 30s, 2m, 500ms or PT30S)");
        }
    }

    /** Bad command line; a null message means "--help was asked for". */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
