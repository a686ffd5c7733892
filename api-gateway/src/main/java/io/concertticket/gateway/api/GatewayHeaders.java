package io.concertticket.gateway.api;

import io.concertticket.identity.HopToken;
import io.vertx.core.http.HttpHeaders;

/** Header names, pre-encoded once (Vert.x writes such CharSequences without re-encoding them). */
final class GatewayHeaders {

    /** The admission token from the waiting room. */
    static final CharSequence ADMISSION_TOKEN = HttpHeaders.createOptimized(HopToken.ADMISSION_HEADER);
    static final CharSequence X_USER_ID = HttpHeaders.createOptimized("X-User-Id");
    static final CharSequence X_CONCERT_ID = HttpHeaders.createOptimized("X-Concert-Id");
    static final CharSequence X_TOKEN_ID = HttpHeaders.createOptimized("X-Token-Id");
    static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");
    static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
    static final CharSequence TRACESTATE = HttpHeaders.createOptimized("tracestate");
    static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
    static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
    static final CharSequence WWW_AUTHENTICATE = HttpHeaders.createOptimized("WWW-Authenticate");
    static final CharSequence CHUNKED = HttpHeaders.createOptimized("chunked");
    static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

    private GatewayHeaders() {
    }
}
