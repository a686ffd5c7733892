package io.concertticket.load;

import java.time.Duration;

/**
 * Where the platform is and how hard to push it. Every value is a Java system property, so it can be
 * given on the Maven command line ({@code -Dload.baseUrl=http://127.0.0.1:18080}); the defaults match
 * a plain {@code ./run.sh}.
 */
public final class LoadSettings {

    private LoadSettings() {
    }

    /** The public entry: every simulated client request goes through the gateway. */
    public static String baseUrl() {
        return System.getProperty("load.baseUrl", "http://127.0.0.1:8080");
    }

    /** concert-service itself, for the operator API (inside the cluster, never through the gateway). */
    public static String concertAdminUrl() {
        return System.getProperty("load.concertAdminUrl", "http://127.0.0.1:8082");
    }

    /** PostgreSQL server of the platform (without a database name): read after a run for event lag. */
    public static String jdbcServerUrl() {
        return System.getProperty("load.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/");
    }

    public static String dbUser() {
        return System.getProperty("load.dbUser", "postgres");
    }

    public static String dbPassword() {
        return System.getProperty("load.dbPassword", "postgres");
    }

    public static int intProperty(String name, int defaultValue) {
        return Integer.getInteger(name, defaultValue);
    }

    public static Duration seconds(String name, int defaultSeconds) {
        return Duration.ofSeconds(Integer.getInteger(name, defaultSeconds));
    }

    /** Distinguishes the users and concerts of one run from those of earlier runs on the same data. */
    public static String runId() {
        return Long.toString(System.currentTimeMillis(), 36);
    }
}
