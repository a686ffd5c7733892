package io.concertticket.concert.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A broken business rule. Carries the facts a client needs to react (a seat number, an opening time). */
public abstract class ConcertDomainException extends RuntimeException {

    private final Map<String, Object> details;

    protected ConcertDomainException(String message) {
        this(message, new Object[0]);
    }

    /** @param details name/value pairs, in the order a client would read them */
    protected ConcertDomainException(String message, Object... details) {
        super(message);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < details.length; i += 2) {
            map.put((String) details[i], details[i + 1]);
        }
        this.details = Collections.unmodifiableMap(map);
    }

    public Map<String, Object> details() {
        return details;
    }
}
