package io.concertticket.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.Operator;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.Platform.PemKeyPair;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.ServiceProcess;
import io.concertticket.e2e.harness.Shopper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real replicas (issue 16): two JVMs each of queue-, concert- and payment-service and two gateways, each gateway
 * given both replicas of every service as a list of URLs. First queue-service's access-token key is rotated as
 * docs/deployment.md says while signed-in users poll, list seats and buy through both gateways: no valid admission
 * token refused, and the retired key's tokens refused once the gateways' retention has passed, not before. Then a
 * purchase wave through both gateways (each seat wanted by one buyer of each) while one replica of each service and
 * one gateway are SIGKILLed: the buyers of the dead gateway move to the other one, and everyone retries as careful
 * clients do. Nothing sold twice, nothing paid without the buyer being told so (or losing the answer), balances
 * right, invariants hold.
 */
@ExtendWith(PlatformExtension.class)
@Isolated("second replicas behind a second gateway, and a key rotation")
@Order(7)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final int SEATS = 50;
    private static final long CHARGE = 10_000;

    /** The gateways' {@code GATEWAY_JWT_RETIRED_KEY_RETENTION}, shortened from 15 minutes so the rotation can show it pass. */
    private static final Duration RETIRED_KEY_RETENTION = Duration.ofSeconds(20);
    /** The gateways' {@code GATEWAY_JWT_JWKS_REFRESH_INTERVAL}, shortened from 10 minutes: a key is forgotten at a fetch. */
    private static final Duration JWKS_REFRESH = Duration.ofSeconds(2);
    /** Users polling and using their admission tokens through the rotation; the first {@link #ROTATION_BUYERS} also buy. */
    private static final int ROTATION_USERS = 200;
    private static final int ROTATION_BUYERS = 60;
    /** Users whose first (old-key) token is tried on each gateway every second, to see when the gateways forget the key. */
    private static final int WATCHED = 10;

    private static Platform platform;

    /** One buyer's wave: what they went for and the answers they finally got (pay null without a hold). */
    record Purchase(Shopper shopper, int seat, Reply hold, Reply pay) {
    }

    @BeforeAll
    static void replicas() throws Exception {
        platform = PlatformExtension.platform();
        platform.ensureHoldDuration(Platform.NORMAL_HOLD);
        long t0 = System.nanoTime();
        platform.startReplicas(Map.of("GATEWAY_JWT_RETIRED_KEY_RETENTION", RETIRED_KEY_RETENTION.toSeconds() + "s",
                "GATEWAY_JWT_JWKS_REFRESH_INTERVAL", JWKS_REFRESH.toSeconds() + "s"));
        System.out.printf("e2e: second replicas of the three services and a second gateway up in %d s%n",
                Duration.ofNanos(System.nanoTime() - t0).toSeconds());
    }

    @AfterAll
    static void singleReplicas() throws Exception {
        platform.stopReplicas();
    }

    /** Where the rotation stands (docs/deployment.md, "Rotating the access-token signing key"). */
    enum Step { BEFORE, PUBLISH, SWITCH, RETIRE, RETENTION, DONE }

    /** One answer to a user's call that refused an admission token (401), with what was presented. */
    record Refusal(String user, String call, String keyId, Step step, Reply reply) {
    }

    /**
     * One user of the rotation: the admission tokens it received by key id (the first of each), its last, and what it
     * bought (hold, pay) presenting a token of which key ({@code boughtWith}); those three null for users who did not buy.
     */
    record RotationUser(Shopper shopper, Map<String, String> firstTokenByKey, String lastToken, Reply hold, Reply pay, String boughtWith) {
    }

    /** A watched old-key token tried on one gateway at one moment. */
    record Probe(Instant at, String gateway, String user, Reply reply) {
    }

    /**
     * The access-token key rotated under load, exactly as docs/deployment.md tells an operator: (1) publish the next key
     * on every replica (rolled one at a time) and wait until every gateway has it, (2) switch every replica (one at a
     * time) to sign with it while publishing the old one, (3) stop publishing the old key. Meanwhile 200 signed-in
     * users, half on each gateway, poll their admission, list seats with every admission token they received (of the
     * old key and, from the switch on, of the new one) and 60 of them hold and pay a seat during the three steps. No
     * admission token is refused before the old key's retention has passed; from then on each gateway refuses the old
     * key's tokens (401 unknown-key) and never accepts one again; the new key's tokens stay accepted.
     *
     * <p>One deviation from the procedure, on purpose: step 3 follows step 2 at once instead of after the tokens'
     * lifetime (10 minutes), so the old key's tokens are still unexpired when the gateways forget the key, and the
     * test can see that they are refused because of the key (and only after the shortened retention).
     */
    @Test
    @Order(1)
    void theAccessTokenKeyRotatesUnderLoadWithoutRefusingAValidToken() throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> gateways = new LinkedHashMap<>();
        for (String name : List.of(Platform.GATEWAY, Platform.second(Platform.GATEWAY))) {
            gateways.put(name, platform.service(name).url());
        }
        List<String> urls = List.copyOf(gateways.values());
        Api viaFirst = new Api(urls, Duration.ofSeconds(60));
        Api viaSecond = new Api(List.of(urls.get(1), urls.get(0)), Duration.ofSeconds(60));
        Operator operator = platform.operator(viaSecond);
        Sale sale = operator.openSale("Key rotation under load", ROTATION_BUYERS, 1_000);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Shopper> users = new ArrayList<>(platform.shoppers(viaFirst, "rota-" + run, ROTATION_USERS / 2, sale.concertId()));
        users.addAll(platform.shoppers(viaSecond, "rotb-" + run, ROTATION_USERS / 2, sale.concertId()));
        List<ServiceProcess> queues = List.of(platform.service(Platform.QUEUE), platform.service(Platform.second(Platform.QUEUE)));
        PemKeyPair current = platform.accessTokenKeys();
        PemKeyPair next = platform.newAccessTokenKeys("access-token-next-" + run);
        String oldKey = single(publishedKeys(queues.get(0)));
        assertThat(publishedKeys(queues.get(1))).containsExactly(oldKey);

        // the load: every user polls, lists seats with each admission token it holds, buyers buy during "their" step
        AtomicInteger requests = new AtomicInteger();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
        AtomicReference<Step> step = new AtomicReference<>(Step.BEFORE);
        // until when the old key's tokens must be accepted (set when step 3 starts)
        AtomicLong oldKeyTrustedUntil = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger admitted = new AtomicInteger();
        BiFunction<String, Reply, Reply> tally = (call, r) -> {
            requests.incrementAndGet();
            answers.computeIfAbsent(call + " " + r.status(), k -> new AtomicInteger()).incrementAndGet();
            return r;
        };
        CompletableFuture<List<RotationUser>> load = Crowd.background(() -> Crowd.race(users, Duration.ofMinutes(8), s -> {
            int index = users.indexOf(s);
            Reply registered = tally.apply("register", Shopper.retrying(Duration.ofMinutes(2), s::register));
            assertThat(registered.status()).as("registration of %s: %s", s, registered).isIn(200, 201);
            s.awaitAdmission(Duration.ofMinutes(3));
            admitted.incrementAndGet();
            Map<String, String> firstTokenByKey = new LinkedHashMap<>();
            firstTokenByKey.put(keyId(s.accessToken()), s.accessToken());
            Step buyIn = index < ROTATION_BUYERS ? List.of(Step.PUBLISH, Step.SWITCH, Step.RETIRE).get(index % 3) : null;
            if (buyIn != null) {
                s.charge(CHARGE);
            }
            Reply hold = null;
            Reply pay = null;
            String boughtWith = null;
            while (step.get() != Step.DONE && pay == null) {
                Reply poll = tally.apply("poll", s.pollForAdmission());
                if (poll.is(401)) {
                    refusals.add(new Refusal(s.name, "poll", null, step.get(), poll));
                }
                // a token's claims come from the stored admission, so each key signs it byte for byte alike on every replica
                firstTokenByKey.putIfAbsent(keyId(s.accessToken()), s.accessToken());
                for (Map.Entry<String, String> token : firstTokenByKey.entrySet()) {
                    if (token.getKey().equals(oldKey) && System.currentTimeMillis() >= oldKeyTrustedUntil.get()) {
                        continue; // being retired: the watch and the end of the test try these
                    }
                    Reply seats = tally.apply("seats", s.seatsWith(token.getValue(), sale.scheduleId()));
                    if (seats.is(401)) {
                        refusals.add(new Refusal(s.name, "seats", token.getKey(), step.get(), seats));
                    }
                }
                if (buyIn != null && step.get().compareTo(buyIn) >= 0) {
                    boughtWith = keyId(s.accessToken());
                    hold = tally.apply("hold", s.holdRetrying(sale.scheduleId(), index + 1, Duration.ofMinutes(2)));
                    if (hold.is(201)) {
                        pay = tally.apply("pay", s.payRetrying(hold.number("reservationId"), Duration.ofMinutes(2)));
                    }
                    break;
                }
                sleep(Duration.ofMillis(1_500 + ThreadLocalRandom.current().nextInt(1_000)));
            }
            return new RotationUser(s, firstTokenByKey, s.accessToken(), hold, pay, boughtWith);
        }));

        ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
        Map<String, Api> alone = new LinkedHashMap<>();
        gateways.forEach((name, url) -> alone.put(name, new Api(url, Duration.ofSeconds(60))));
        CompletableFuture<Void> watch = CompletableFuture.completedFuture(null);
        Map<Step, Duration> took = new LinkedHashMap<>();
        Instant retireStarted;
        Instant retired;
        try {
            // 1. publish the next key on every replica, one at a time, while the users are admitted (signed with the
            // current key); wait until every gateway trusts it
            long s1 = System.nanoTime();
            step.set(Step.PUBLISH);
            roll(queues, Map.of("QUEUE_ACCESS_TOKEN_PUBLISHED_PUBLIC_KEY_LOCATIONS", next.publicKey().toString()));
            String newKey = single(publishedKeys(queues.get(0)).stream().filter(k -> !k.equals(oldKey)).toList());
            for (ServiceProcess q : queues) {
                assertThat(publishedKeys(q)).as("JWKS of %s after step 1", q.name()).containsExactlyInAnyOrder(oldKey, newKey);
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (String gateway : gateways.keySet()) {
                    assertThat(trustedKeys(gateway)).as("keys %s trusts", gateway).containsExactlyInAnyOrder(oldKey, newKey);
                }
            });
            took.put(Step.PUBLISH, Duration.ofNanos(System.nanoTime() - s1));

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> admitted.get() == ROTATION_USERS);
            // the watch: some users' (old-key) admission token on each gateway alone, once a second, to the end
            Map<String, String> watchedTokens = new LinkedHashMap<>();
            for (Shopper s : users.subList(ROTATION_BUYERS, ROTATION_BUYERS + WATCHED)) {
                assertThat(keyId(s.accessToken())).as("admission of %s", s).isEqualTo(oldKey);
                watchedTokens.put(s.name, s.accessToken());
            }
            watch = Crowd.background(() -> {
                while (step.get() != Step.DONE) {
                    for (Shopper s : users.subList(ROTATION_BUYERS, ROTATION_BUYERS + WATCHED)) {
                        alone.forEach((name, api) -> probes.add(new Probe(Instant.now(), name, s.name, tally.apply("watch",
                                api.get("/api/v1/schedules/" + sale.scheduleId() + "/seats", Api.as(s.identityToken(), watchedTokens.get(s.name)))))));
                    }
                    sleep(Duration.ofSeconds(1));
                }
                return null;
            });
            sleep(Duration.ofSeconds(3)); // every user has used its old-key token a little

            // 2. switch: sign with the next key, publish the old one; one replica at a time
            long s2 = System.nanoTime();
            step.set(Step.SWITCH);
            roll(queues, Map.of("QUEUE_ACCESS_TOKEN_PRIVATE_KEY_LOCATION", next.privateKey().toString(),
                    "QUEUE_ACCESS_TOKEN_PUBLISHED_PUBLIC_KEY_LOCATIONS", current.publicKey().toString()));
            for (ServiceProcess q : queues) {
                assertThat(publishedKeys(q)).as("JWKS of %s after step 2", q.name()).containsExactlyInAnyOrder(oldKey, newKey);
            }
            took.put(Step.SWITCH, Duration.ofNanos(System.nanoTime() - s2));

            // 3. retire: stop publishing the old key. The gateways last saw it no earlier than a few fetches before now
            retireStarted = Instant.now();
            // (both replicas publish it up to now, fetched every JWKS_REFRESH); a margin for requests on their way
            oldKeyTrustedUntil.set(retireStarted.plus(RETIRED_KEY_RETENTION).minus(JWKS_REFRESH).minusSeconds(6).toEpochMilli());
            step.set(Step.RETIRE);
            roll(queues, Collections.singletonMap("QUEUE_ACCESS_TOKEN_PUBLISHED_PUBLIC_KEY_LOCATIONS", null));
            retired = Instant.now();
            for (ServiceProcess q : queues) {
                assertThat(publishedKeys(q)).as("JWKS of %s after step 3", q.name()).containsExactly(newKey);
            }
            took.put(Step.RETIRE, Duration.between(retireStarted, retired));

            // the gateways forget the old key at their first fetch after the retention has passed since they last saw it
            step.set(Step.RETENTION);
            Instant forgottenBy = retired.plus(RETIRED_KEY_RETENTION).plus(JWKS_REFRESH).plusSeconds(5);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (String gateway : gateways.keySet()) {
                    assertThat(trustedKeys(gateway)).as("keys %s trusts", gateway).containsExactly(newKey);
                }
            });
            // the watch tries every watched token on both gateways once more (a round outlasts a second on a busy machine)
            Instant forgotten = Instant.now();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> probes.stream()
                    .filter(p -> p.at().isAfter(forgotten)).map(p -> p.gateway() + " " + p.user()).distinct().count()
                    == (long) WATCHED * alone.size());
            took.put(Step.RETENTION, Duration.between(retired, Instant.now()));

            step.set(Step.DONE);
            List<RotationUser> rotation = load.get(3, TimeUnit.MINUTES);
            watch.get(1, TimeUnit.MINUTES);

            // every admission token of either key was accepted until the old key's retention had passed
            assertThat(refusals).as("admission tokens refused (401) while valid").isEmpty();
            Set<String> users401 = new TreeSet<>();
            answers.forEach((k, n) -> {
                if (k.endsWith(" 401") && !k.startsWith("watch")) {
                    users401.add(k + " x " + n);
                }
            });
            assertThat(users401).as("401 answers to the users").isEmpty();
            long tokensOld = rotation.stream().filter(u -> u.firstTokenByKey().containsKey(oldKey)).count();
            long tokensNew = rotation.stream().filter(u -> u.firstTokenByKey().containsKey(newKey)).count();
            long holdingBoth = rotation.stream().filter(u -> u.firstTokenByKey().keySet().containsAll(List.of(oldKey, newKey))).count();
            assertThat(tokensOld).as("users admitted with an old-key token").isEqualTo(ROTATION_USERS);
            // everyone who had not bought by the switch polled a token of the new key too, and used both
            assertThat(rotation.subList(ROTATION_BUYERS, ROTATION_USERS)).as("users who did not buy, holding tokens of both keys")
                    .allSatisfy(u -> assertThat(u.firstTokenByKey()).containsOnlyKeys(oldKey, newKey));

            // the buyers: each held its own seat and paid it, with whichever key's token it held at the time
            for (RotationUser u : rotation.subList(0, ROTATION_BUYERS)) {
                int seat = users.indexOf(u.shopper()) + 1;
                assertThat(u.hold()).as("hold of %s", u.shopper()).isNotNull();
                assertThat(u.hold().status()).as("hold of %s: %s", u.shopper(), u.hold()).isEqualTo(201);
                assertThat(u.pay()).as("payment of %s", u.shopper()).isNotNull();
                assertThat(u.pay().status()).as("payment of %s: %s", u.shopper(), u.pay()).isEqualTo(200);
                assertThat(u.pay().number("amount")).isEqualTo(sale.price(seat));
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (RotationUser u : rotation.subList(0, ROTATION_BUYERS)) {
                    Reply r = u.shopper().reservation(u.hold().number("reservationId"));
                    assertThat(r.text("status")).as("reservation of %s: %s", u.shopper(), r).isEqualTo("PAID");
                }
            });
            for (RotationUser u : rotation.subList(0, ROTATION_BUYERS)) {
                Reply balance = Shopper.retrying(Duration.ofMinutes(1), u.shopper()::balance);
                assertThat(balance.number("balance")).as("balance of %s", u.shopper())
                        .isEqualTo(CHARGE - sale.price(users.indexOf(u.shopper()) + 1));
            }

            // after the retention: each gateway refuses every old-key token (unknown key) and accepts the new key's
            int refusedOld = 0;
            int acceptedNew = 0;
            for (RotationUser u : rotation.subList(ROTATION_BUYERS, ROTATION_USERS)) {
                for (Map.Entry<String, Api> g : alone.entrySet()) {
                    Reply old = tally.apply("after", g.getValue().get("/api/v1/schedules/" + sale.scheduleId() + "/seats",
                            Api.as(u.shopper().identityToken(), u.firstTokenByKey().get(oldKey))));
                    assertThat(old.status()).as("%s's old-key token on %s after the retention: %s", u.shopper(), g.getKey(), old).isEqualTo(401);
                    assertThat(old.text("reason")).as("%s", old).isEqualTo("unknown-key");
                    refusedOld++;
                    Reply fresh = tally.apply("after", g.getValue().get("/api/v1/schedules/" + sale.scheduleId() + "/seats",
                            Api.as(u.shopper().identityToken(), u.lastToken())));
                    assertThat(keyId(u.lastToken())).isEqualTo(newKey);
                    assertThat(fresh.status()).as("%s's new-key token on %s: %s", u.shopper(), g.getKey(), fresh).isEqualTo(200);
                    acceptedNew++;
                }
            }

            // the watch: accepted until the retention had passed since the retirement began, refused (unknown key) once
            // it had passed since the retirement ended, and never accepted again by a gateway that had refused it
            Instant trustedUntil = Instant.ofEpochMilli(oldKeyTrustedUntil.get());
            Map<String, Instant> firstRefusal = new TreeMap<>();
            Instant lastAccepted = Instant.MIN;
            int watchedAccepted = 0;
            for (Probe p : probes) {
                String who = p.gateway() + " " + p.user();
                if (p.reply().is(200)) {
                    watchedAccepted++;
                    lastAccepted = p.at().isAfter(lastAccepted) ? p.at() : lastAccepted;
                    assertThat(firstRefusal).as("%s accepted at %s after it was refused", who, p.at()).doesNotContainKey(who);
                    assertThat(p.at()).as("%s accepted after the retention had passed", who).isBefore(forgottenBy);
                } else {
                    assertThat(p.reply().status()).as("%s at %s: %s", who, p.at(), p.reply()).isEqualTo(401);
                    assertThat(p.reply().text("reason")).as("%s", p.reply()).isEqualTo("unknown-key");
                    assertThat(p.at()).as("%s refused before the retention had passed: %s", who, p.reply()).isAfter(trustedUntil);
                    firstRefusal.putIfAbsent(who, p.at());
                }
            }
            assertThat(firstRefusal).as("watched tokens refused by each gateway").hasSize(WATCHED * gateways.size());

            CheckReport report = platform.checkInvariants("the key rotation");
            assertThat(report.violated()).as(report.format()).isEmpty();

            Map<String, Long> boughtWith = rotation.stream().filter(u -> u.boughtWith() != null)
                    .collect(Collectors.groupingBy(u -> u.boughtWith().equals(oldKey) ? "old key" : "new key", TreeMap::new, Collectors.counting()));
            System.out.printf("e2e: key rotation under load in %d s (publish %d s, switch %d s, retire %d s, retention %d s): %d users "
                            + "(%d admitted with old-key tokens, %d also got new-key ones, %d holding both), %d bought (hold+pay 201/200) with %s, "
                            + "%d requests, answers %s; 401 to valid tokens: %d; watched old-key tokens: %d accepted, first refused by each gateway %s "
                            + "after step 3 began (it ran %s..%s; retention %d s); after it %d old-key tokens refused and %d new-key ones accepted%n",
                    Duration.ofNanos(System.nanoTime() - t0).toSeconds(), took.get(Step.PUBLISH).toSeconds(), took.get(Step.SWITCH).toSeconds(),
                    took.get(Step.RETIRE).toSeconds(), took.get(Step.RETENTION).toSeconds(), ROTATION_USERS, tokensOld, tokensNew, holdingBoth,
                    ROTATION_BUYERS, boughtWith, requests.get(), new TreeMap<>(answers.entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))),
                    refusals.size(), watchedAccepted, firstRefusal.values().stream().sorted().map(i -> Duration.between(retireStarted, i).toMillis() + " ms")
                            .toList(), retireStarted, retired, RETIRED_KEY_RETENTION.toSeconds(), refusedOld, acceptedNew);
        } finally {
            step.set(Step.DONE);
            platform.heal();
        }
    }

    /** A rolling restart of queue-service with these settings: one replica at a time, the next once the last is ready. */
    private static void roll(List<ServiceProcess> replicas, Map<String, String> changes) throws IOException {
        for (ServiceProcess replica : replicas) {
            replica.restart(changes);
        }
    }

    /** The key ids of a queue-service replica's JWKS, as the gateways fetch it. */
    private static Set<String> publishedKeys(ServiceProcess queue) {
        Reply r = new Api(queue.url(), Duration.ofSeconds(30)).get("/.well-known/jwks.json", Api.anonymous());
        assertThat(r.status()).as("JWKS of %s: %s", queue.name(), r).isEqualTo(200);
        Set<String> ids = new TreeSet<>();
        r.body().path("keys").forEach(k -> ids.add(k.path("kid").asText()));
        return ids;
    }

    /** The admission-token key ids a gateway trusts (its readiness check {@code credentials}). */
    private static Set<String> trustedKeys(String gateway) {
        Reply r = new Api(platform.service(gateway).managementUrl(), Duration.ofSeconds(30)).get("/q/health/ready", Api.anonymous());
        for (JsonNode check : r.body().path("checks")) {
            if ("credentials".equals(check.path("name").asText())) {
                return new TreeSet<>(List.of(check.path("data").path("admissionSigningKeyIds").asText().split(",")));
            }
        }
        throw new AssertionError("no credentials check in the readiness of " + gateway + ": " + r);
    }

    /** The {@code kid} in a JWT's header. */
    private static String keyId(String jwt) {
        try {
            byte[] header = Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.')));
            return Api.JSON.readTree(new String(header, StandardCharsets.UTF_8)).path("kid").asText();
        } catch (IOException e) {
            throw new AssertionError("not a JWT: " + jwt, e);
        }
    }

    private static String single(Collection<String> keys) {
        assertThat(keys).hasSize(1);
        return keys.iterator().next();
    }

    private static void sleep(Duration d) {
        if (d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(2)
    void aPurchaseWaveSurvivesSigkilledReplicasOfEveryServiceAndAGateway() throws Exception {
        String first = platform.gatewayUrl();
        String second = platform.service(Platform.second(Platform.GATEWAY)).url();
        // each buyer starts on "their" gateway and moves to the other once it refuses connections
        Api viaFirst = new Api(List.of(first, second), Duration.ofSeconds(120));
        Api viaSecond = new Api(List.of(second, first), Duration.ofSeconds(120));
        Operator operator = platform.operator(new Api(List.of(second, first), Duration.ofSeconds(120)));
        Sale sale = operator.openSale("Replicas under SIGKILL", SEATS, 3_000);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Shopper> buyers = new ArrayList<>(platform.shoppers(viaFirst, "repa-" + run, SEATS, sale.concertId()));
        buyers.addAll(platform.shoppers(viaSecond, "repb-" + run, SEATS, sale.concertId()));

        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        Map<String, Integer> killedAt = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<Void> kills = Crowd.background(() -> {
            // queue-service while most buyers still poll for admission, the rest once holds are under way
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> admitted.get() >= 20);
            platform.service(Platform.second(Platform.QUEUE)).kill();
            killedAt.put(Platform.QUEUE, admitted.get());
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> held.get() >= 10);
            for (String name : List.of(Platform.second(Platform.CONCERT), Platform.second(Platform.PAYMENT), Platform.GATEWAY)) {
                platform.service(name).kill();
                killedAt.put(name, held.get());
            }
            return null;
        });
        long t0 = System.nanoTime();
        List<Purchase> purchases = Crowd.race(buyers, Duration.ofMinutes(5), s -> {
            int seat = seatOf(s);
            Reply registered = Shopper.retrying(Duration.ofMinutes(2), s::register);
            assertThat(registered.status()).as("registration of %s: %s", s, registered).isIn(200, 201);
            s.awaitAdmission(Duration.ofMinutes(3));
            admitted.incrementAndGet();
            s.charge(CHARGE);
            Reply hold = s.holdRetrying(sale.scheduleId(), seat, Duration.ofMinutes(3));
            if (hold.is(201)) {
                held.incrementAndGet();
            }
            Reply pay = hold.is(201) ? s.payRetrying(hold.number("reservationId"), Duration.ofMinutes(3)) : null;
            return new Purchase(s, seat, hold, pay);
        });
        kills.join();
        System.out.printf("e2e: replica wave of %d buyers over %d seats in %d s; killed (SIGKILL): queue-service-2 after %d admitted, "
                        + "concert-service-2, payment-service-2 and api-gateway after %d holds%n", buyers.size(), SEATS,
                Duration.ofNanos(System.nanoTime() - t0).toSeconds(), killedAt.get(Platform.QUEUE),
                killedAt.get(Platform.GATEWAY));

        // the answers: a hold is won (201) or lost to the other buyer of the seat (409); a payment is 200, or its
        // answer was lost and the retry found the admission used up by it (401 revoked-token)
        Map<Integer, List<Purchase>> winnersBySeat = new HashMap<>();
        for (Purchase p : purchases) {
            if (!p.hold().is(201)) {
                assertThat(p.hold().status()).as("hold of %s: %s", p.shopper(), p.hold()).isEqualTo(409);
                continue;
            }
            winnersBySeat.computeIfAbsent(p.seat(), k -> new ArrayList<>()).add(p);
            if (p.pay().is(401)) {
                assertThat(p.pay().text("reason")).as("payment of %s: %s", p.shopper(), p.pay()).isEqualTo("revoked-token");
            } else {
                assertThat(p.pay().status()).as("payment of %s: %s", p.shopper(), p.pay()).isEqualTo(200);
                assertThat(p.pay().number("amount")).isEqualTo(sale.price(p.seat()));
            }
        }
        assertThat(winnersBySeat).as("seats won").hasSize(SEATS);
        winnersBySeat.forEach((seat, won) -> assertThat(won).as("winners of seat %d", seat).hasSize(1));

        // every PAID reservation is a winner's, at most one per seat; losers have none; balances = charged - price
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (List<Purchase> won : winnersBySeat.values()) {
                Purchase p = won.get(0);
                Reply r = p.shopper().reservation(p.hold().number("reservationId"));
                assertThat(r.text("status")).as("reservation of %s: %s", p.shopper(), r).isEqualTo("PAID");
            }
        });
        Map<Integer, Integer> paidBySeat = new HashMap<>();
        for (Purchase p : purchases) {
            Reply mine = Shopper.retrying(Duration.ofMinutes(1), p.shopper()::myReservations);
            assertThat(mine.status()).as("reservations of %s: %s", p.shopper(), mine).isEqualTo(200);
            List<JsonNode> paid = new ArrayList<>();
            mine.body().path("items").forEach(item -> {
                if ("PAID".equals(item.path("status").asText())) {
                    paid.add(item);
                }
            });
            boolean winner = p.hold().is(201);
            assertThat(paid).as("PAID reservations of %s (%s)", p.shopper(), winner ? "won its seat" : "lost it").hasSize(winner ? 1 : 0);
            for (JsonNode item : paid) {
                assertThat(item.path("seatNumber").asInt()).as("seat of %s", p.shopper()).isEqualTo(p.seat());
                assertThat(item.path("reservationId").asLong()).isEqualTo(p.hold().number("reservationId"));
                paidBySeat.merge(item.path("seatNumber").asInt(), 1, Integer::sum);
            }
            Reply balance = Shopper.retrying(Duration.ofMinutes(1), p.shopper()::balance);
            assertThat(balance.number("balance")).as("balance of %s", p.shopper())
                    .isEqualTo(winner ? CHARGE - sale.price(p.seat()) : CHARGE);
        }
        assertThat(paidBySeat).as("PAID reservations per seat").hasSize(SEATS).allSatisfy((seat, n) -> assertThat(n).isEqualTo(1));
        Reply overview = Shopper.retrying(Duration.ofMinutes(1), () -> operator.schedule(sale.scheduleId()));
        assertThat(overview.body().path("seatsByStatus").path("DONE").asLong(0)).as("%s", overview).isEqualTo(SEATS);

        CheckReport report = platform.checkInvariants("the replica wave");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    /** Accounts {@code repa-<run>-i} and {@code repb-<run>-i} both go for seat i. */
    private static int seatOf(Shopper s) {
        return Integer.parseInt(s.name.substring(s.name.lastIndexOf('-') + 1));
    }
}
