package io.concertticket.load;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "From a hold's commit to payment-service having its payable reservation": read after a run from the
 * two databases (one PostgreSQL server, one clock). The hold's side is the reservation's
 * {@code created_at} (stamped just before its commit, so the figure errs on the long side); the
 * payment side is {@code payable_reservation.created_at}, stamped when the SeatHeld consumer wrote it.
 */
public final class EventLag {

    private EventLag() {
    }

    public static void report(String simulation, long scheduleId) {
        String server = LoadSettings.jdbcServerUrl();
        try (Connection concert = DriverManager.getConnection(server + "concert", LoadSettings.dbUser(), LoadSettings.dbPassword());
             Connection payment = DriverManager.getConnection(server + "payment", LoadSettings.dbUser(), LoadSettings.dbPassword())) {
            Map<Long, Timestamp> held = new HashMap<>();
            long booked = 0;
            long paid = 0;
            try (PreparedStatement q = concert.prepareStatement(
                    "SELECT id, created_at, status FROM reservation WHERE schedule_id = ?")) {
                q.setLong(1, scheduleId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        held.put(rs.getLong(1), rs.getTimestamp(2));
                        switch (rs.getString(3)) {
                            case "BOOKED" -> booked++;
                            case "PAID" -> paid++;
                            default -> { }
                        }
                    }
                }
            }
            if (held.isEmpty()) {
                System.out.printf("%s event lag: no reservations for schedule %d%n", simulation, scheduleId);
                return;
            }
            // the consumer may still be catching up: give it a bounded while
            Map<Long, Timestamp> payable = new HashMap<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            do {
                payable = payables(payment, held.keySet());
                if (payable.size() == held.size()) {
                    break;
                }
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);

            List<Long> lagsMicros = new ArrayList<>();
            for (Map.Entry<Long, Timestamp> e : payable.entrySet()) {
                Timestamp h = held.get(e.getKey());
                lagsMicros.add(micros(e.getValue()) - micros(h));
            }
            Collections.sort(lagsMicros);
            System.out.printf("%s event lag hold→payable: reservations %d (BOOKED %d, PAID %d), payables %d, "
                            + "lag ms p50 %.1f p95 %.1f p99 %.1f max %.1f%n",
                    simulation, held.size(), booked, paid, payable.size(),
                    pct(lagsMicros, 0.50), pct(lagsMicros, 0.95), pct(lagsMicros, 0.99), pct(lagsMicros, 1.0));
        } catch (SQLException e) {
            System.out.printf("%s event lag not measured: %s (-Dload.jdbcUrl=jdbc:postgresql://host:port/)%n",
                    simulation, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<Long, Timestamp> payables(Connection payment, java.util.Set<Long> ids) throws SQLException {
        Map<Long, Timestamp> found = new HashMap<>();
        try (PreparedStatement q = payment.prepareStatement(
                "SELECT reservation_id, created_at FROM payable_reservation WHERE reservation_id = ANY (?)")) {
            Array array = payment.createArrayOf("bigint", ids.toArray());
            q.setArray(1, array);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), rs.getTimestamp(2));
                }
            }
        }
        return found;
    }

    private static long micros(Timestamp t) {
        return t.getTime() / 1000 * 1_000_000 + t.getNanos() / 1000;
    }

    private static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000.0;
    }
}
