package io.concertticket.concert.domain;

/** A sale window an operator cannot mean: closing before it opens, a pre-queue without a lead. */
public class InvalidSaleWindowException extends ConcertDomainException {

    public InvalidSaleWindowException(String field, String message) {
        super(message, "field", field);
    }
}
