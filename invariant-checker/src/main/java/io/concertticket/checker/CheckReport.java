package io.concertticket.checker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one run of the checker found.
 *
 * @param results        one verdict per invariant, in order
 * @param pendingOutbox  events still waiting in each service's outbox when the verdicts were taken
 * @param attempts       how many times the invariants were evaluated while waiting for in-flight events
 * @param elapsed        time spent, settling included
 */
public record CheckReport(List<InvariantResult> results, Map<String, Long> pendingOutbox, int attempts, Duration elapsed) {

    public boolean allHold() {
        return results.stream().allMatch(InvariantResult::holds);
    }

    public List<InvariantResult> violated() {
        return results.stream().filter(r -> !r.holds()).toList();
    }

    /** The report as printed by the CLI. */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (InvariantResult r : results) {
            out.append(String.format("%-9s %-4s %s%n", r.verdict(), r.id(), r.statement()));
            if (!r.holds()) {
                out.append(String.format("          %d violation(s)%s%n", r.violations(),
                        r.examples().size() < r.violations() ? ", for example:" : ":"));
                r.examples().forEach(e -> out.append("            - ").append(e).append(System.lineSeparator()));
            }
        }
        String outbox = pendingOutbox.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        out.append(String.format("%s: %d of %d invariants hold (outbox backlog: %s; %d evaluation(s) in %.1f s)%n",
                allHold() ? "ALL HOLD" : "VIOLATIONS FOUND",
                results.stream().filter(InvariantResult::holds).count(), results.size(), outbox, attempts,
                elapsed.toMillis() / 1000.0));
        return out.toString();
    }
}
