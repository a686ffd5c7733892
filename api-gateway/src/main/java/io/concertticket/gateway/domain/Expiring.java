package io.concertticket.gateway.domain;

/** Something verified once that stays valid until a known instant (a token's {@code exp}). */
public interface Expiring {

    long expiresAtMillis();
}
