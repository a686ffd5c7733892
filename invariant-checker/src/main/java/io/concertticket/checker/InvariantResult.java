package io.concertticket.checker;

import java.util.List;

/**
 * The verdict on one invariant.
 *
 * @param id          short stable id, e.g. "1a"
 * @param statement   what must hold, in words
 * @param violations  how many rows break it (0 = it holds)
 * @param examples    a few of them, human readable
 */
public record InvariantResult(String id, String statement, long violations, List<String> examples) {

    public boolean holds() {
        return violations == 0;
    }

    public String verdict() {
        return holds() ? "HOLDS" : "VIOLATED";
    }
}
