package io.concertticket.testing;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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
        return firstColumn(sql, params, rs -> rs.getLong(1), 0L);
    }

    /** The first column of the first row as text, or null when there is no row. */
    public String queryString(String sql, Object... params) {
        return firstColumn(sql, params, rs -> rs.getString(1), null);
    }

    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T firstColumn(String sql, Object[] params, Column<T> column, T noRow) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? column.read(rs) : noRow;
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
