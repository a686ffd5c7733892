package io.concertticket.concert.domain;

public class HoldLimitReachedException extends ConcertDomainException {

    public HoldLimitReachedException(int limit) {
        super("You already hold " + limit + " seats in this schedule, the most one user may hold at once.", "limit", limit);
    }
}
