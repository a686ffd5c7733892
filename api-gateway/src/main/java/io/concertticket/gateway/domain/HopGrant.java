package io.concertticket.gateway.domain;

/**
 * What one hop token says to one service: the account, and the admission when one was verified for the
 * request. Equal grants get the same (cached) hop token.
 *
 * @param account   the verified identity
 * @param admission the verified admission token of the same account, or {@code null}
 * @param audience  the service the hop token is for
 */
public record HopGrant(Account account, AdmissionToken admission, Upstream audience) {

    public HopGrant {
        if (admission != null && !admission.accountId().equals(account.id())) {
            throw new IllegalArgumentException("an admission token is granted only to its own account");
        }
    }

    /** The hop token may not outlive the credentials it speaks for. */
    public long credentialsExpireAtMillis() {
        return admission == null ? account.expiresAtMillis()
                : Math.min(account.expiresAtMillis(), admission.expiresAtMillis());
    }
}
