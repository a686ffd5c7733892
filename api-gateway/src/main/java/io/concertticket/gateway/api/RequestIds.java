package io.concertticket.gateway.api;

import io.vertx.core.http.HttpServerRequest;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The correlation id of a request: the client's {@code X-Request-Id} if it is a sane token, else the
 * trace id of a valid W3C {@code traceparent} (so logs and traces line up), else a new random id.
 */
final class RequestIds {

    private static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    static String of(HttpServerRequest request) {
        String given = request.getHeader(GatewayHeaders.X_REQUEST_ID);
        if (given != null && isSafe(given)) {
            return given;
        }
        String traceparent = request.getHeader(GatewayHeaders.TRACEPARENT);
        if (traceparent != null && traceparent.length() >= 55 && traceparent.charAt(2) == '-'
                && traceparent.charAt(35) == '-') {
            String traceId = traceparent.substring(3, 35);
            if (isLowerHex(traceId) && !traceId.equals("00000000000000000000000000000000")) {
                return traceId;
            }
        }
        return random();
    }

    /** 128 random bits as 32 hex digits; not a secret, so no SecureRandom on the hot path. */
    static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        long bits = random.nextLong();
        for (int i = 0; i < 16; i++, bits >>>= 4) {
            id[i] = HEX[(int) (bits & 0xf)];
        }
        bits = random.nextLong();
        for (int i = 16; i < 32; i++, bits >>>= 4) {
            id[i] = HEX[(int) (bits & 0xf)];
        }
        return new String(id);
    }

    private static boolean isSafe(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
