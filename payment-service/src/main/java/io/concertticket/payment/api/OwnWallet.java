package io.concertticket.payment.api;

import io.concertticket.identity.Caller;

/**
 * The {@code {userId}} of the wallet routes: the verified caller's own account, written out or as
 * {@code me}. Anything else is someone else's wallet (403, nothing read or changed).
 */
final class OwnWallet {

    static final String ME = "me";

    static final class NotYourWalletException extends RuntimeException {
        NotYourWalletException() {
            super("You may only access your own wallet (your account id, or \"me\").");
        }
    }

    private OwnWallet() {
    }

    /** @return the caller's account, whose wallet the request acts on */
    static String of(Caller caller, String pathUserId) {
        if (!ME.equals(pathUserId) && !caller.accountId().equals(pathUserId)) {
            throw new NotYourWalletException();
        }
        return caller.accountId();
    }
}
