package io.concertticket.gateway.domain;

/** The shape of a signed JWT, checked before any decoding so that junk is refused cheaply. */
public final class CompactJws {

    /** Tokens above this size are refused before any decoding (real ones are a few KiB at most). */
    public static final int MAX_LENGTH = 8192;

    private CompactJws() {
    }

    /** Three non-empty dot-separated parts: refuses "a.b", "a..c", "a.b.c.d" and an empty signature. */
    public static boolean looksLikeOne(String jwt) {
        int firstDot = jwt.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : jwt.indexOf('.', firstDot + 1);
        return jwt.length() <= MAX_LENGTH && firstDot > 0 && secondDot > firstDot + 1
                && secondDot < jwt.length() - 1 && jwt.indexOf('.', secondDot + 1) < 0;
    }
}
