package io.concertticket.concert.api;

/** A protected endpoint reached without the identity the gateway sets for a valid access token. */
public class UnauthenticatedException extends RuntimeException {

    public UnauthenticatedException(String message) {
        super(message);
    }
}
