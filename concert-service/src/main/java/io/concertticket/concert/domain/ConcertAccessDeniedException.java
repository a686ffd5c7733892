package io.concertticket.concert.domain;

/** The caller's access token was issued for another concert than the one the resource belongs to. */
public class ConcertAccessDeniedException extends ConcertDomainException {

    public ConcertAccessDeniedException(Long concertId) {
        super("Your access token is not valid for concert " + concertId + ".", "concertId", concertId);
    }
}
