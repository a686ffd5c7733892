package io.concertticket.queue.domain;

/** The request names another account than the caller's: a client acts only for the account it signed in as. */
public class NotYourAccountException extends RuntimeException {

    public NotYourAccountException() {
        super("The userId in the body is not your account. Leave it out: you always join as the account you signed in with.");
    }
}
