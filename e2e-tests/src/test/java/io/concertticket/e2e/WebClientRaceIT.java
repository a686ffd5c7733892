package io.concertticket.e2e;

import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Browser;
import io.concertticket.e2e.harness.BrowserExtension;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import io.concertticket.testing.KeycloakAccounts.Account;
import io.concertticket.testing.KeycloakAccounts.SignedIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buyers' web page with two people at once, each in a Chromium of their own: both sign in, wait in line behind
 * a crowd and see their places fall, are admitted, race for the same seat (one holds it, the other is told and sees
 * the map refreshed), the loser holds another, both charge and pay and find the ticket PAID under "My
 * reservations"; a second tab of the same person keeps the same place in line; and a hold left unpaid (short hold
 * duration) shows the expiry in the page and the seat free again in the map. Screenshots:
 * {@code target/web-screenshots/race-*.png}.
 *
 * <p>Runs last: it sets the hold duration each scenario needs (the normal one, then a short one for the expiry) and
 * leaves the short one behind. Shares the platform with WebClientIT; two Chromiums at once.
 */
@ExtendWith(PlatformExtension.class)
@Isolated("restarts concert-service with the hold each of its scenarios needs")
@Order(8)
class WebClientRaceIT {

    static final Duration WAIT = Browser.WAIT;
    /** People in line before the two browsers: ten admission ticks of 20 (fewer were all admitted too soon). */
    static final int AHEAD = 200;
    /** Long enough to see the pay page and its countdown on a loaded machine, short enough to wait for. */
    static final Duration SHORT_HOLD = Duration.ofSeconds(15);

    @RegisterExtension
    static final BrowserExtension browsers = new BrowserExtension("race-");

    static Page ann;
    static Page bob;

    @BeforeAll
    static void startBrowsers() throws IOException {
        ann = browsers.open("ann", Page::new);
        bob = browsers.open("bob", Page::new);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void twoPeopleInTwoBrowsersWaitRaceForOneSeatAndBothPay() throws Exception {
        Platform platform = PlatformExtension.platform();
        platform.ensureHoldDuration(Platform.NORMAL_HOLD);
        String gateway = platform.gatewayUrl();
        platform.accounts().allowBrowserOrigin("concert-web", gateway);
        Sale sale = platform.operator().openSale("Two browsers", 4, 6_000);
        String run = "race-" + UUID.randomUUID().toString().substring(0, 8);
        List<Account> buyers = platform.accounts().create(run + "-buyer", 2);
        Api api = new Api(gateway);
        List<Shopper> ahead = platform.shoppers(api, run + "-ahead", AHEAD, sale.concertId());

        // ---- both sign in on Keycloak's form, each in their own browser
        ann.signIn(gateway, buyers.get(0));
        bob.signIn(gateway, buyers.get(1));

        // ---- the crowd joins, then both join right behind it
        for (Reply r : Crowd.race(ahead, WAIT, Shopper::register)) {
            assertThat(r.status()).as("%s", r).isEqualTo(201);
        }
        for (Page p : new Page[] {ann, bob}) {
            p.waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "'] button.join")).click();   // the list renders after sign-in
        }
        List<Long> annSeen = new ArrayList<>();
        List<Long> bobSeen = new ArrayList<>();
        for (Page p : new Page[] {ann, bob}) {
            p.waitUntil(() -> p.text("#queue-position").matches("[\\d,]+"), WAIT);
        }
        long annFirst = ann.position();
        long bobFirst = bob.position();
        assertThat(annFirst).as("ann joined behind the crowd").isGreaterThan(Platform.ADMISSION_BATCH);
        assertThat(bobFirst).as("bob joined behind the crowd").isGreaterThan(Platform.ADMISSION_BATCH);
        annSeen.add(annFirst);
        bobSeen.add(bobFirst);
        ann.screenshot("queue-waiting");
        bob.screenshot("queue-waiting");

        // ---- both watch their places fall with the admission ticks until admitted
        ann.waitUntil(() -> {
            record(ann, annSeen);
            record(bob, bobSeen);
            return ann.isDisplayed("#queue-admitted") && bob.isDisplayed("#queue-admitted");
        }, Duration.ofSeconds(120));
        assertThat(annSeen).as("ann's places").hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(bobSeen).as("bob's places").hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        // ---- a second tab of ann's keeps her place: the same queue token, still admitted
        String annToken = ann.queueToken();
        String firstTab = ann.driver.getWindowHandle();
        ann.driver.switchTo().newWindow(WindowType.TAB);
        ann.driver.get(gateway + "/#/queue/" + sale.concertId());
        // a new tab has its own sessionStorage: the page signs in again through Keycloak's session, without the form
        ann.waitUntil(() -> ann.text("#queue-position").matches("[\\d,]+") || ann.isDisplayed("#queue-admitted"), WAIT);
        assertThat(ann.driver.findElements(By.id("username"))).as("no second login form").isEmpty();
        assertThat(ann.queueToken()).as("the second tab polls the same queue token").isEqualTo(annToken);
        ann.waitUntil(() -> ann.isDisplayed("#queue-admitted"), WAIT);
        assertThat(ann.text("#queue-admitted-text")).isEqualTo("It's your turn! You may choose a seat now.");
        ann.screenshot("second-tab");
        ann.driver.close();
        ann.driver.switchTo().window(firstTab);

        for (Page p : new Page[] {ann, bob}) {
            assertThat(p.text("#queue-admitted-text")).isEqualTo("It's your turn! You may choose a seat now.");
            assertThat(p.text("#queue-admitted-until")).startsWith("Your admission lasts until").contains("left");
            p.screenshot("admitted");
            p.driver.findElement(By.id("to-seats")).click();
            p.waitFor(By.cssSelector("#seat-map [data-seat='4']"));
            assertThat(p.text("#seats-count")).isEqualTo("4 seats available");
        }

        // ---- both choose seat 2 at the same moment: one holds it, the other is told and sees it taken
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> clicks = new ArrayList<>();
        for (Page p : new Page[] {ann, bob}) {
            WebElement seat = p.driver.findElement(By.cssSelector("[data-seat='2']"));
            clicks.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seat.click();
            }));
        }
        go.countDown();
        CompletableFuture.allOf(clicks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (Page p : new Page[] {ann, bob}) {
            p.waitUntil(() -> p.driver.getCurrentUrl().contains("#/pay/") && p.text("#hold-info").startsWith("Seat 2 is held")
                    || p.text("#seats-message").startsWith("Seat 2 was just taken"), WAIT);
        }
        boolean annWon = ann.driver.getCurrentUrl().contains("#/pay/");
        Page winner = annWon ? ann : bob;
        Page loser = annWon ? bob : ann;
        assertThat(loser.driver.getCurrentUrl()).as("only one holds seat 2").doesNotContain("#/pay/");
        assertThat(loser.text("#seats-message")).isEqualTo(
                "Seat 2 was just taken by someone else. The seat map has been refreshed: please choose another seat.");
        loser.waitUntil(() -> !loser.driver.findElement(By.cssSelector("[data-seat='2']")).isEnabled(), WAIT);
        assertThat(loser.driver.findElement(By.cssSelector("[data-seat='2']")).getAttribute("aria-label"))
                .isEqualTo("Seat 2, " + points(sale.price(2)) + " points, taken");
        assertThat(loser.text("#seats-count")).isEqualTo("3 seats available");
        winner.screenshot("seat-won");
        loser.screenshot("seat-lost");

        // ---- the loser holds seat 3; both charge what the seat costs and pay
        loser.driver.findElement(By.cssSelector("[data-seat='3']")).click();
        loser.waitUntil(() -> loser.driver.getCurrentUrl().contains("#/pay/") && loser.text("#hold-info").startsWith("Seat 3 is held"), WAIT);
        int winnerSeat = 2;
        int loserSeat = 3;
        for (Page p : new Page[] {winner, loser}) {
            int seat = p == winner ? winnerSeat : loserSeat;
            long price = sale.price(seat);
            assertThat(p.text("#hold-info")).isEqualTo("Seat " + seat + " is held for you: " + points(price) + " points.");
            p.waitUntil(() -> p.text("#hold-left").startsWith("Pay before") && p.text("#balance").equals("Balance: 0 points"), WAIT);
            p.screenshot("hold");
            WebElement amount = p.driver.findElement(By.id("charge-amount"));
            assertThat(amount.getAttribute("value")).isEqualTo(Long.toString(price));
            p.driver.findElement(By.id("charge")).click();
            p.waitUntil(() -> p.text("#balance").startsWith("Charged"), WAIT);
            assertThat(p.text("#balance")).isEqualTo("Charged " + points(price) + " points. Balance: " + points(price) + " points.");
        }
        for (Page p : new Page[] {winner, loser}) {
            p.driver.findElement(By.id("pay")).click();
        }
        List<Long> reservations = new ArrayList<>();
        for (Page p : new Page[] {winner, loser}) {
            int seat = p == winner ? winnerSeat : loserSeat;
            p.waitUntil(() -> p.text("#pay-result").startsWith("Paid!"), Duration.ofSeconds(120));
            long reservationId = Long.parseLong(p.driver.getCurrentUrl().replaceAll(".*#/pay/", ""));
            assertThat(p.text("#pay-result")).isEqualTo("Paid! Reservation " + reservationId + ", seat " + seat + ": PAID.");
            p.screenshot("paid");
            reservations.add(reservationId);
        }

        // ---- my reservations: each sees exactly their own ticket, PAID
        for (Page p : new Page[] {winner, loser}) {
            long mine = reservations.get(p == winner ? 0 : 1);
            long theirs = reservations.get(p == winner ? 1 : 0);
            p.driver.get(gateway + "/#/reservations");
            WebElement row = p.waitFor(By.cssSelector("tr[data-reservation-id='" + mine + "']"));
            assertThat(row.getAttribute("data-status")).isEqualTo("PAID");
            assertThat(row.getText()).contains("Two browsers");
            assertThat(p.driver.findElements(By.cssSelector("tr[data-reservation-id='" + theirs + "']"))).isEmpty();
            p.screenshot("reservations");
        }

        // the same facts through the API, as each account
        for (int i = 0; i < 2; i++) {
            Page p = i == 0 ? winner : loser;
            Account account = p == ann ? buyers.get(0) : buyers.get(1);
            SignedIn signedIn = platform.accounts().signIn(account);
            Reply r = api.get("/api/v1/reservations/" + reservations.get(i), Api.as(signedIn.accessToken(), null));
            assertThat(r.text("status")).isEqualTo("PAID");
            assertThat(r.number("seatNumber")).isEqualTo(i == 0 ? winnerSeat : loserSeat);
            assertThat(api.get("/api/v1/users/me/points", Api.as(signedIn.accessToken(), null)).number("balance")).isZero();
        }

        // ---- no console errors, except the 409 of the seat the loser did not get
        assertThat(winner.consoleErrors(false)).as("winner's console errors").isEmpty();
        assertThat(loser.consoleErrors(true)).as("loser's console errors").isEmpty();

        CheckReport report = platform.checkInvariants("the two-browser scenario");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aHoldLeftToExpireSaysSoAndTheSeatIsFreeAgain() throws Exception {
        Platform platform = PlatformExtension.platform();
        platform.ensureHoldDuration(SHORT_HOLD);
        String gateway = platform.gatewayUrl();
        platform.accounts().allowBrowserOrigin("concert-web", gateway);
        Sale sale = platform.operator().openSale("Browser hold expiry", 2, 5_000);
        String run = "race-exp-" + UUID.randomUUID().toString().substring(0, 8);
        Account buyer = platform.accounts().create(run + "-buyer", 1).get(0);
        bob.signOutIfSignedIn(gateway);
        bob.signIn(gateway, buyer);

        bob.waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "'] button.join")).click();
        bob.waitUntil(() -> bob.isDisplayed("#queue-admitted"), WAIT);
        bob.driver.findElement(By.id("to-seats")).click();
        bob.waitFor(By.cssSelector("#seat-map [data-seat='2']"));
        bob.driver.findElement(By.cssSelector("[data-seat='1']")).click();
        bob.waitUntil(() -> bob.driver.getCurrentUrl().contains("#/pay/") && bob.text("#hold-left").startsWith("Pay before"), WAIT);
        long reservationId = Long.parseLong(bob.driver.getCurrentUrl().replaceAll(".*#/pay/", ""));
        assertThat(bob.text("#hold-info")).isEqualTo("Seat 1 is held for you: " + points(sale.price(1)) + " points.");
        bob.screenshot("expiring-hold");

        // ---- nobody pays: the page says the hold expired and offers to choose again
        bob.waitUntil(() -> bob.isDisplayed("#hold-expired"), SHORT_HOLD.plusSeconds(30));
        assertThat(bob.text("#hold-expired-text")).isEqualTo("Your hold has expired and the seat was released.");
        assertThat(bob.isDisplayed("#pay-form")).isFalse();
        assertThat(bob.text("#hold-left")).isEmpty();
        assertThat(bob.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("choose-again");
        bob.screenshot("hold-expired");

        // what the page says is what the platform decided
        SignedIn signedIn = platform.accounts().signIn(buyer);
        Api api = new Api(gateway);
        bob.waitUntil(() -> "CANCELED".equals(api.get("/api/v1/reservations/" + reservationId,
                Api.as(signedIn.accessToken(), null)).text("status")), WAIT);

        // ---- choosing again: the seat map shows seat 1 free again
        bob.driver.findElement(By.id("choose-again")).click();
        bob.waitFor(By.cssSelector("#seat-map [data-seat='1']"));
        bob.waitUntil(() -> bob.driver.findElement(By.cssSelector("[data-seat='1']")).isEnabled()
                && bob.text("#seats-count").equals("2 seats available"), WAIT);
        assertThat(bob.driver.findElement(By.cssSelector("[data-seat='1']")).getAttribute("aria-label"))
                .isEqualTo("Seat 1, " + points(sale.price(1)) + " points, available");
        bob.screenshot("seat-free-again");
        bob.driver.get(gateway + "/#/reservations");
        WebElement row = bob.waitFor(By.cssSelector("tr[data-reservation-id='" + reservationId + "']"));
        assertThat(row.getAttribute("data-status")).isEqualTo("CANCELED");
        bob.screenshot("reservations-canceled");

        assertThat(bob.consoleErrors(false)).as("console errors").isEmpty();
        CheckReport report = platform.checkInvariants("the browser hold expiry scenario");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    private static void record(Page p, List<Long> seen) {
        String pos = p.text("#queue-position").replace(",", "");
        if (!p.isDisplayed("#queue-admitted") && pos.matches("\\d+") && Long.parseLong(pos) != seen.get(seen.size() - 1)) {
            seen.add(Long.parseLong(pos));
        }
    }

    private static String points(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /** One person's browser, and what this scenario does in it. */
    static final class Page extends Browser {

        /** Screenshots {@code race-<name>-NN-<step>.png}. */
        Page(String name, Path target, String screenshotPrefix) throws IOException {
            super(name, target, screenshotPrefix + name + "-");
        }

        void signIn(String gateway, Account account) {
            driver.get(gateway + "/");
            waitFor(By.id("sign-in")).click();
            waitFor(By.id("username")).sendKeys(account.username());
            driver.findElement(By.id("password")).sendKeys(account.password(), Keys.ENTER);
            waitUntil(() -> text("#who").equals("Signed in as " + account.username()));
        }

        void signOutIfSignedIn(String gateway) {
            driver.get(gateway + "/");
            waitUntil(() -> isDisplayed("#sign-in") || isDisplayed("#sign-out"));
            if (isDisplayed("#sign-out")) {
                driver.findElement(By.id("sign-out")).click();
                waitUntil(() -> driver.getCurrentUrl().startsWith(gateway) && isDisplayed("#sign-in"));
            }
        }

        long position() {
            return Long.parseLong(text("#queue-position").replace(",", ""));
        }

        String queueToken() {
            return (String) js("const e = Object.entries(localStorage).find(([k]) => k.startsWith('concert.queue.')); return e ? e[1] : null");
        }

        /** SEVERE console entries, but the 409 of a lost seat when {@code lostASeat}. */
        List<String> consoleErrors(boolean lostASeat) {
            return consoleErrors(message -> lostASeat && message.matches(
                    ".*/api/v1/reservations - Failed to load resource: the server responded with a status of 409.*"));
        }
    }
}
