package io.concertticket.gateway.domain;

/**
 * The public routes of the platform and the credentials each one needs (docs/identity.md, "Which route
 * needs what"). Anything that is not one of these is not reachable through the gateway: the services'
 * {@code /q/**} and {@code /admin/**} endpoints simply have no route here.
 */
public enum Route {
    /** The concert list is the one public read: no credential, forwarded without a hop token. */
    CONCERT_LIST(Upstream.CONCERT, Access.PUBLIC),
    /** Queue registration and polling act for the signed-in account. */
    QUEUE(Upstream.QUEUE, Access.IDENTITY),
    /** A sale's public status ({@code GET /api/v1/queue/sales/{concertId}}): no credential, like the concert list. */
    SALE_STATUS(Upstream.QUEUE, Access.PUBLIC),
    /** A concert's schedules (and anything else below a concert, or a write to the list) are sale routes. */
    CONCERT_SALE(Upstream.CONCERT, Access.ADMISSION),
    SEATS(Upstream.CONCERT, Access.ADMISSION),
    /** Holding a seat ({@code POST /api/v1/reservations}). */
    HOLD(Upstream.CONCERT, Access.ADMISSION),
    /** Reading the account's own reservations, also after the sale: identity only. */
    MY_RESERVATIONS(Upstream.CONCERT, Access.IDENTITY),
    PAYMENTS(Upstream.PAYMENT, Access.ADMISSION),
    /** A wallet: {userId} of the path must be the account (or {@code me}). */
    WALLET(Upstream.PAYMENT, Access.ACCOUNT_OWNER),
    /** The operator API of concert-service, same path there. */
    ADMIN(Upstream.CONCERT, Access.OPERATOR),
    /** The operators' live controls of a sale's waiting room ({@code /api/v1/admin/sales/**}), queue-service's operator API. */
    SALE_CONTROLS(Upstream.QUEUE, Access.OPERATOR);

    public enum Access {
        /** Nothing: no credential is read and no hop token is sent. */
        PUBLIC,
        /** An identity token. */
        IDENTITY,
        /** An identity token whose account is the {userId} of the path. */
        ACCOUNT_OWNER,
        /** An identity token and an admission token of the same account. */
        ADMISSION,
        /** An identity token with the {@code operator} role. */
        OPERATOR
    }

    private static final String API = "/api/v1/";
    private static final String USERS = "/api/v1/users/";
    private static final String POINTS = "/points";

    private final Upstream upstream;
    private final Access access;

    Route(Upstream upstream, Access access) {
        this.upstream = upstream;
        this.access = access;
    }

    public Upstream upstream() {
        return upstream;
    }

    public Access access() {
        return access;
    }

    public boolean needsIdentity() {
        return access != Access.PUBLIC;
    }

    public boolean needsAdmission() {
        return access == Access.ADMISSION;
    }

    /**
     * The route of a request, by method and normalized path (no query, dot segments resolved), or
     * {@code null} when the path is not public API. String tests only, no regex and no allocation: this
     * runs on every request.
     */
    public static Route of(String method, String path) {
        if (path == null || !path.startsWith(API) || path.indexOf("//") >= 0 || isAmbiguous(path)) {
            return null;
        }
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        if (isUnder(path, "/api/v1/queue")) {
            return read && isUnder(path, "/api/v1/queue/sales") ? SALE_STATUS : QUEUE;
        }
        if (isUnder(path, "/api/v1/concerts")) {
            boolean list = path.length() <= "/api/v1/concerts/".length();
            return list && read ? CONCERT_LIST : CONCERT_SALE;
        }
        if (isUnder(path, "/api/v1/schedules")) {
            return SEATS;
        }
        if (isUnder(path, "/api/v1/reservations")) {
            return read ? MY_RESERVATIONS : HOLD;
        }
        if (isUnder(path, "/api/v1/payments")) {
            return PAYMENTS;
        }
        if (isUnder(path, "/api/v1/admin/sales")) {
            return SALE_CONTROLS;
        }
        if (isUnder(path, "/api/v1/admin") && path.length() > "/api/v1/admin/".length()) {
            return ADMIN;
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
