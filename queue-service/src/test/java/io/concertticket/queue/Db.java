package io.concertticket.queue;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Direct reads of the queue database, to check what the API says against what is stored. */
public final class Db {

    private Db() {
    }

    public static List<List<Object>> rows(AgroalDataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<List<Object>> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Object value(AgroalDataSource ds, String sql, Object... params) {
        List<List<Object>> rows = rows(ds, sql, params);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public static long count(AgroalDataSource ds, String sql, Object... params) {
        return ((Number) value(ds, sql, params)).longValue();
    }
}
