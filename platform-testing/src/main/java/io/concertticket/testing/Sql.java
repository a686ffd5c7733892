package io.concertticket.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain SQL on a service's database, for what a test must see or arrange behind the API; parameters are bound
 * in order ({@code ?}). A failing statement is an {@link AssertionError} naming it.
 */
public class Sql {

    private final DataSource dataSource;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return the number of rows changed */
    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    /** The first column of the first row as a number (a count, a balance), or 0 when there is no row. */
    public long queryLong(String sql, Object... params) {
        return query(sql, params, rs -> rs.next() ? rs.getLong(1) : 0L);
    }

    /** The first column of the first row as text, or null when there is no row. */
    public String queryString(String sql, Object... params) {
        return query(sql, params, rs -> rs.next() ? rs.getString(1) : null);
    }

    /** The first column of the first row as the driver reads it (a Long, a UUID, a Timestamp...), or null when there is no row. */
    public Object value(String sql, Object... params) {
        return query(sql, params, rs -> rs.next() ? rs.getObject(1) : null);
    }

    /** Every row, each as its columns' values in order. */
    public List<List<Object>> rows(String sql, Object... params) {
        return query(sql, params, rs -> {
            int columns = rs.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        });
    }

    private interface Result<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Object[] params, Result<T> result) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                return result.read(rs);
            }
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static void bind(PreparedStatement st, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }
}
