package io.concertticket.gateway.domain;

/**
 * The public routes of the platform (docs/contracts.md, "Public HTTP API") and what each one needs.
 * Anything that is not one of these is not reachable through the gateway: the services' {@code /q/**}
 * and {@code /admin/**} endpoints simply have no route here.
 */
public enum Route {
    /** Queue registration and polling: open to anyone, rate-limited per client. */
    QUEUE(Upstream.QUEUE, Access.PUBLIC, true),
    /** The concert list is the one public read of concert-service. */
    CONCERT_LIST(Upstream.CONCERT, Access.PUBLIC, false),
    /** Everything else below a concert (its schedules) needs an access token. */
    CONCERT_DETAILS(Upstream.CONCERT, Access.ACCESS_TOKEN, false),
    SCHEDULES(Upstream.CONCERT, Access.ACCESS_TOKEN, false),
    RESERVATIONS(Upstream.CONCERT, Access.ACCESS_TOKEN, false),
    PAYMENTS(Upstream.PAYMENT, Access.ACCESS_TOKEN, false),
    /** A wallet: the token's user must be the {userId} of the path. */
    WALLET(Upstream.PAYMENT, Access.ACCESS_TOKEN_OWNER, false);

    public enum Access { PUBLIC, ACCESS_TOKEN, ACCESS_TOKEN_OWNER }

    private static final String API = "/api/v1/";
    private static final String USERS = "/api/v1/users/";
    private static final String POINTS = "/points";

    private final Upstream upstream;
    private final Access access;
    private final boolean rateLimited;

    Route(Upstream upstream, Access access, boolean rateLimited) {
        this.upstream = upstream;
        this.access = access;
        this.rateLimited = rateLimited;
    }

    public Upstream upstream() {
        return upstream;
    }

    public Access access() {
        return access;
    }

    public boolean requiresToken() {
        return access != Access.PUBLIC;
    }

    public boolean rateLimited() {
        return rateLimited;
    }

    /**
     * The route of a normalized request path (no query, dot segments resolved), or {@code null} when the
     * path is not public API. String tests only, no regex and no allocation: this runs on every request.
     */
    public static Route of(String path) {
        if (path == null || !path.startsWith(API) || path.indexOf("//") >= 0 || isAmbiguous(path)) {
            return null;
        }
        if (isUnder(path, "/api/v1/queue")) {
            return QUEUE;
        }
        if (isUnder(path, "/api/v1/concerts")) {
            return path.length() <= "/api/v1/concerts/".length() ? CONCERT_LIST : CONCERT_DETAILS;
        }
        if (isUnder(path, "/api/v1/schedules")) {
            return SCHEDULES;
        }
        if (isUnder(path, "/api/v1/reservations")) {
            return RESERVATIONS;
        }
        if (isUnder(path, "/api/v1/payments")) {
            return PAYMENTS;
        }
        return walletOwner(path) != null ? WALLET : null;
    }

    /** The {userId} of {@code /api/v1/users/{userId}/points[/...]}, or {@code null} for any other path. */
    public static String walletOwner(String path) {
        if (!path.startsWith(USERS)) {
            return null;
        }
        int slash = path.indexOf('/', USERS.length());
        if (slash <= USERS.length() || !path.startsWith(POINTS, slash)) {
            return null;
        }
        int end = slash + POINTS.length();
        if (path.length() != end && path.charAt(end) != '/') {
            return null;
        }
        return path.substring(USERS.length(), slash);
    }

    /**
     * Encoded slashes or backslashes, backslashes and matrix parameters could be read differently by a
     * service than by the gateway (one more path segment, a dot segment); no public path needs them.
     */
    private static boolean isAmbiguous(String path) {
        if (path.indexOf('\\') >= 0 || path.indexOf(';') >= 0) {
            return true;
        }
        for (int i = path.indexOf('%'); i >= 0 && i + 2 < path.length(); i = path.indexOf('%', i + 1)) {
            char hi = path.charAt(i + 1);
            char lo = Character.toLowerCase(path.charAt(i + 2));
            if ((hi == '2' && lo == 'f') || (hi == '5' && lo == 'c')) {
                return true;
            }
        }
        return false;
    }

    /** {@code prefix} itself or anything below it ({@code prefix/...}), but not {@code prefixSomething}. */
    private static boolean isUnder(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
