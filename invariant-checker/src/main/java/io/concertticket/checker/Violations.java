package io.concertticket.checker;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The violations of one invariant: all counted, the first few kept as examples. */
final class Violations {

    @FunctionalInterface
    interface RowFormat {
        String format(ResultSet rs) throws SQLException;
    }

    private final int maxExamples;
    private final List<String> examples = new ArrayList<>();
    private long count;

    Violations(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    /** Runs a query whose every row is a violation of invariant {@code id}. */
    static InvariantResult query(Connection c, int maxExamples, String id, String statement, String sql, RowFormat format)
            throws SQLException {
        Violations v = new Violations(maxExamples);
        try (Statement st = c.createStatement()) {
            st.setFetchSize(1_000);
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    v.add(v.wantsExample() ? format.format(rs) : null);
                }
            }
        }
        return v.result(id, statement);
    }

    boolean wantsExample() {
        return examples.size() < maxExamples;
    }

    void add(String example) {
        count++;
        if (example != null && wantsExample()) {
            examples.add(example);
        }
    }

    InvariantResult result(String id, String statement) {
        return new InvariantResult(id, statement, count, List.copyOf(examples));
    }
}
