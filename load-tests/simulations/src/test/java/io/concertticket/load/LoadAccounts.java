package io.concertticket.load;

import io.concertticket.testing.KeycloakAccounts;
import io.concertticket.testing.PlatformAdmin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The signed-in accounts a simulation's virtual users act as (docs/identity.md: the account is the user).
 * Created and signed in <b>before</b> the scenario starts, never inside the measured part: one
 * {@code partialImport} call per 500 accounts ({@code <load.accountPrefix>-1 ... -n}, password = user name;
 * accounts that exist already are kept, so later runs on the same Keycloak only sign in), then the password
 * grant on {@code concert-cli}, eight at a time (platform-testing's {@link KeycloakAccounts}).
 *
 * <p>Every simulation uses the same prefix: the 1,000 seat-rush accounts are the first 1,000 of the surge's
 * pool, and so on. That is fine because each run creates its own concerts, and the only rule an account
 * must respect is one place per account per concert.
 */
public final class LoadAccounts {

    /** One signed-in account as a virtual user sees it; {@code clientIp} is its device's address. */
    public record Identity(String username, String password, String identityToken, String sub, long expiresAtEpochSecond,
                           String clientIp) {
    }


    private LoadAccounts() {
    }

    /** Accounts 1..n of the load prefix, each signed in once; prints how long creation and sign-in took. */
    public static List<Identity> signedIn(String simulation, int n) {
        KeycloakAccounts.SignedInAccounts batch = keycloak().createAndSignIn(LoadSettings.accountPrefix(), n);
        List<Identity> identities = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            KeycloakAccounts.SignedIn s = batch.signedIn().get(i);
            identities.add(new Identity(s.username(), batch.accounts().get(i).password(), s.accessToken(), s.subject(),
                    expiresAt(s.accessToken()), clientAddress(i + 1)));
        }
        System.out.printf("%s: %d accounts (%s-1..%d) at %s created or found in %.1f s, signed in in %.1f s (before the scenario, not measured)%n",
                simulation, n, LoadSettings.accountPrefix(), n, LoadSettings.issuer(),
                batch.creating().toMillis() / 1e3, batch.signingIn().toMillis() / 1e3);
        return identities;
    }

    /** The account's session attributes: {@code username password identity identityExpires sub clientIp}. */
    public static Map<String, Object> attributes(Identity identity) {
        return Map.of("username", identity.username(),
                "password", identity.password(),
                "identity", identity.identityToken(),
                "identityExpires", identity.expiresAtEpochSecond(),
                "sub", identity.sub(),
                "clientIp", identity.clientIp());
    }

    /** Each account exactly once, in order: for simulations with one virtual user per account and one concert. */
    public static Iterator<Map<String, Object>> eachOnce(List<Identity> identities) {
        Iterator<Identity> it = identities.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                return attributes(it.next());
            }
        };
    }

    /**
     * A bounded pool used for more virtual users than accounts: virtual user {@code i} (from 0) acts as account
     * {@code i mod pool} in the concert of schedule {@code i / pool}, so every account takes at most one place per
     * concert ({@code concertId} and {@code scheduleId} are set in the session), and its seat there is
     * {@code seatNumber} = {@code i mod pool + 1}, which no other user of that concert holds. Runs out after
     * {@code pool × schedules} users.
     */
    public static Iterator<Map<String, Object>> acrossConcerts(List<Identity> pool, List<PlatformAdmin.Schedule> schedules) {
        AtomicInteger next = new AtomicInteger();
        int capacity = pool.size() * schedules.size();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return next.get() < capacity;
            }

            @Override
            public Map<String, Object> next() {
                int i = next.getAndIncrement();
                if (i >= capacity) {
                    throw new NoSuchElementException("more virtual users than " + pool.size() + " accounts × "
                            + schedules.size() + " concerts");
                }
                Map<String, Object> attributes = new HashMap<>(attributes(pool.get(i % pool.size())));
                PlatformAdmin.Schedule schedule = schedules.get(i / pool.size());
                attributes.put("concertId", schedule.concertId());
                attributes.put("scheduleId", schedule.scheduleId());
                attributes.put("seatNumber", i % pool.size() + 1);
                return attributes;
            }
        };
    }

    /** The operator account (role {@code operator}) for the operator API through the gateway. */
    public static KeycloakAccounts.SignedIn operator() {
        return keycloak().signIn(LoadSettings.operatorUsername(), LoadSettings.operatorPassword());
    }

    /** The operator API through the gateway ({@link LoadSettings#baseUrl()}), signed in as {@link #operator()}. */
    public static PlatformAdmin platformAdmin() {
        return new PlatformAdmin(LoadSettings.baseUrl(), LoadAccounts::operator);
    }

    /** The {@code exp} of a JWT (epoch seconds); 15 minutes from now when it has none. */
    public static long expiresAt(String jwt) {
        long exp = KeycloakAccounts.claims(jwt).path("exp").asLong(0);
        return exp > 0 ? exp : System.currentTimeMillis() / 1000 + Duration.ofMinutes(15).toSeconds();
    }

    /**
     * A distinct client address per account (an IPv6 documentation address, header only), sent as
     * {@code X-Forwarded-For}: with {@code GATEWAY_RATE_LIMIT_TRUSTED_PROXIES=1} the load generator plays the
     * one trusted proxy, so the per-address budget (signature checks of tokens not seen before) applies per
     * simulated device, not to the single load-generator address.
     */
    static String clientAddress(long i) {
        return "2001:db8::" + Long.toHexString(i >>> 16) + ":" + Long.toHexString(i & 0xffff);
    }

    private static KeycloakAccounts keycloak() {
        return new KeycloakAccounts(LoadSettings.issuer(), LoadSettings.keycloakAdmin(), LoadSettings.keycloakAdminPassword());
    }
}
