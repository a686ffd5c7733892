package io.concertticket.checker;

import java.io.PrintStream;
import java.sql.SQLException;

/**
 * Command line entry point: {@code java -jar invariant-checker/target/invariant-checker.jar --help}.
 * Exit code 0 when every invariant holds, 1 when one is violated, 2 for bad usage or an unreadable database.
 */
public final class InvariantCheckerMain {

    private InvariantCheckerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The CLI without System.exit, for tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CheckerOptions options;
        try {
            options = CheckerOptions.parse(args);
        } catch (CheckerOptions.UsageException e) {
            if (e.getMessage() == null) {
                out.print(CheckerOptions.USAGE);
                return 0;
            }
            err.println("invariant-checker: " + e.getMessage());
            err.print(CheckerOptions.USAGE);
            return 2;
        }
        try {
            CheckReport report = new InvariantChecker(options).run();
            out.print(report.format());
            return report.allHold() ? 0 : 1;
        } catch (SQLException e) {
            err.println("invariant-checker: cannot read the databases: " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")");
            return 2;
        }
    }
}
