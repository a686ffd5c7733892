package io.concertticket.gateway.domain;

import io.concertticket.identity.HopToken;

import java.util.Set;

/**
 * The signed-in account, as its verified identity token says: the user is the account, whatever a client
 * writes elsewhere.
 *
 * @param id              the identity token's {@code sub}
 * @param roles           the identity token's {@code roles} ({@code operator}, ...)
 * @param expiresAtMillis the identity token's {@code exp} in epoch milliseconds
 */
public record Account(String id, Set<String> roles, long expiresAtMillis) implements Expiring {

    /** The role of the operators, which the hop token passes on to the services as it is. */
    public static final String OPERATOR = HopToken.OPERATOR_ROLE;
    /** The wallet path segment that names the caller's own account. */
    public static final String ME = "me";

    public Account {
        roles = Set.copyOf(roles);
    }

    public boolean isOperator() {
        return roles.contains(OPERATOR);
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** A path's {@code {userId}} names this account: its own id, or {@code me}. */
    public boolean isNamedBy(String userId) {
        return id.equals(userId) || ME.equals(userId);
    }
}
