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
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buyers' web page (api-gateway's {@code META-INF/resources}) in a real headless Chromium against the whole
 * platform: signing in through Keycloak's own login form (authorization code + PKCE on {@code concert-web}),
 * waiting in line behind other people and watching the place fall, being admitted, losing a seat to someone
 * faster, holding another, being told how many points are missing, charging, paying and seeing the reservation
 * PAID, in English and in Korean, with the keyboard alone from the concert list to the paid ticket, and without a
 * console error. Screenshots of each step: {@code target/web-screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them when missing), driven
 * through {@link Browser}.
 * The first of the isolated classes: it needs the normal hold duration, before the expiry scenario shortens it.
 */
@ExtendWith(PlatformExtension.class)
@Isolated("a browser journey: Chromium takes most of a core and waits at a person's pace")
@Order(0)
class WebClientIT {

    /** People in line before the browser's user: at 20 per 1 s tick, several polls see the place fall. */
    static final int AHEAD = 200;
    static final Duration WAIT = Browser.WAIT;

    /** Screenshots {@code target/web-screenshots/NN-<step>.png} (the README shows some). */
    @RegisterExtension
    static final BrowserExtension browsers = new BrowserExtension("");

    @Test
    void aBuyerSignsInWaitsInLineLosesASeatHoldsAnotherChargesAndPaysWithTheKeyboardInEnglishAndKorean() throws Exception {
        Browser page = browsers.open("buyer");
        WebDriver browser = page.driver;
        Platform platform = PlatformExtension.platform();
        String gateway = platform.gatewayUrl();
        // the realm's concert-web client knows the gateway at :8080 (run.sh); this gateway runs on a free port
        platform.accounts().allowBrowserOrigin("concert-web", gateway);
        Sale sale = platform.operator().openSale("Web page scenario", 6, 7_000);
        String run = "web-" + UUID.randomUUID().toString().substring(0, 8);
        Account buyer = platform.accounts().create(run + "-buyer", 1).get(0);
        Api api = new Api(gateway);
        List<Shopper> ahead = platform.shoppers(api, run + "-ahead", AHEAD, sale.concertId());

        // ---- the concert list, public, with the dates and the sale open; in Korean too
        browser.get(gateway + "/");
        WebElement card = page.waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "']"));
        assertThat(card.findElement(By.cssSelector(".sale")).getText()).isEqualTo("Sale open");
        assertThat(card.getText()).contains("Web page scenario").contains("E2E Hall").contains("Dates")
                .contains("7,010 – 7,060 points");
        page.screenshot("concerts");
        browser.findElement(By.cssSelector("[data-lang='ko']")).click();
        page.waitUntil(() -> "ko".equals(page.attribute("html", "lang")));
        assertThat(page.text("#concerts-title")).isEqualTo("공연");
        card = page.waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "']"));
        assertThat(card.findElement(By.cssSelector(".sale")).getText()).isEqualTo("예매 중");
        assertThat(card.findElement(By.cssSelector("button.join")).getText()).isEqualTo("대기열 입장");
        assertThat(page.text("#sign-in")).isEqualTo("로그인");
        page.screenshot("concerts-korean");
        browser.findElement(By.cssSelector("[data-lang='en']")).click();
        page.waitUntil(() -> "en".equals(page.attribute("html", "lang")));

        // ---- sign in on Keycloak's own login form, with the keyboard
        page.tabTo("#sign-in");
        page.pressKey(Keys.ENTER);
        page.waitFor(By.id("username")).sendKeys(buyer.username());
        browser.findElement(By.id("password")).sendKeys(buyer.password(), Keys.ENTER);
        page.waitUntil(() -> page.text("#who").equals("Signed in as " + buyer.username()));
        assertThat(browser.getCurrentUrl()).isEqualTo(gateway + "/#/concerts");  // the code left the address bar

        // ---- the waiting room, behind AHEAD people who joined (all at once) just before
        page.waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "'] button.join"));
        page.tabTo("li[data-concert-id='" + sale.concertId() + "'] button.join");
        for (Reply r : Crowd.race(ahead, WAIT, Shopper::register)) {
            assertThat(r.status()).as("%s", r).isEqualTo(201);
        }
        page.pressKey(Keys.ENTER);
        page.waitUntil(() -> !page.text("#queue-position").equals("–") || page.isDisplayed("#queue-admitted"));
        long firstPosition = Long.parseLong(page.text("#queue-position").replace(",", ""));
        assertThat(firstPosition).as("the buyer joined behind the others").isGreaterThan(20);
        assertThat(page.text("#queue-ahead").replace(",", "")).isEqualTo(Long.toString(firstPosition - 1));
        assertThat(page.text("#queue-live")).contains("in line").contains("Estimated wait");
        page.screenshot("queue-waiting");

        // a reload keeps the same place in line (the same queue token, polled again)
        String token = (String) page.js("return Object.entries(localStorage).find(([k]) => k.startsWith('concert.queue.'))[1]");
        browser.navigate().refresh();
        page.waitFor(By.id("queue-position"));
        assertThat((String) page.js("return Object.entries(localStorage).find(([k]) => k.startsWith('concert.queue.'))[1]")).isEqualTo(token);

        // the place falls with the admission ticks, then the buyer is admitted
        List<Long> seen = new ArrayList<>();
        seen.add(firstPosition);
        page.waitUntil(() -> {
            String p = page.text("#queue-position").replace(",", "");
            if (!page.isDisplayed("#queue-admitted") && p.matches("\\d+") && Long.parseLong(p) != seen.get(seen.size() - 1)) {
                seen.add(Long.parseLong(p));
            }
            return page.isDisplayed("#queue-admitted");
        }, Duration.ofSeconds(120));
        assertThat(seen).as("places seen while waiting").hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(page.text("#queue-admitted-text")).isEqualTo("It's your turn! You may choose a seat now.");
        assertThat(page.text("#queue-admitted-until")).startsWith("Your admission lasts until").contains("left");
        assertThat(page.active().getAttribute("id")).as("the focus moves to the next step").isEqualTo("to-seats");
        page.screenshot("admitted");

        // ---- seats: somebody faster takes the seat the buyer is about to choose
        page.pressKey(Keys.ENTER);
        page.waitFor(By.cssSelector("#seat-map [data-seat='6']"));
        assertThat(page.text("#seats-count")).isEqualTo("6 seats available");
        assertThat(browser.findElement(By.cssSelector("[data-seat='1']")).getAttribute("aria-label")).isEqualTo("Seat 1, 7,010 points, available");
        int lost = 0;
        // a rival per attempt, so that each pays for its one hold at the end with its own admission
        java.util.Map<Shopper, Long> rivalHolds = new java.util.LinkedHashMap<>();
        for (int seat = 1; seat <= 3 && lost == 0; seat++) {
            Shopper rival = ahead.get(seat - 1);
            rival.awaitAdmission(WAIT);
            page.tabTo("[data-seat='" + seat + "']");
            Reply taken = rival.hold(sale.scheduleId(), seat);
            assertThat(taken.status()).as("%s", taken).isEqualTo(201);
            rivalHolds.put(rival, taken.number("reservationId"));
            // the map refreshes every 5 s: only a seat still shown free tests the refusal
            if (browser.findElement(By.cssSelector("[data-seat='" + seat + "']")).isEnabled()) {
                page.pressKey(Keys.ENTER);
                lost = seat;
            }
        }
        assertThat(lost).as("a seat shown free when the rival took it").isPositive();
        int lostSeat = lost;
        page.waitUntil(() -> page.isDisplayed("#seats-message") && page.text("#seats-message").startsWith("Seat " + lostSeat + " was just taken"));
        assertThat(page.text("#seats-message")).isEqualTo("Seat " + lostSeat
                + " was just taken by someone else. The seat map has been refreshed: please choose another seat.");
        page.waitUntil(() -> !browser.findElement(By.cssSelector("[data-seat='" + lostSeat + "']")).isEnabled());
        assertThat(browser.findElement(By.cssSelector("[data-seat='" + lostSeat + "']")).getAttribute("aria-label"))
                .isEqualTo("Seat " + lostSeat + ", " + points(sale.price(lostSeat)) + " points, taken");
        page.screenshot("seat-taken");

        // ---- the buyer holds seat 5 and pays, all with the keyboard
        page.tabTo("[data-seat='5']");
        page.pressKey(Keys.ENTER);
        page.waitUntil(() -> browser.getCurrentUrl().contains("#/pay/") && page.text("#hold-info").startsWith("Seat 5 is held"));
        long reservationId = Long.parseLong(browser.getCurrentUrl().replaceAll(".*#/pay/", ""));
        long price = sale.price(5);
        assertThat(page.text("#hold-info")).isEqualTo("Seat 5 is held for you: " + points(price) + " points.");
        page.waitUntil(() -> page.text("#hold-left").startsWith("Pay before") && page.text("#balance").equals("Balance: 0 points"));
        page.screenshot("hold");

        page.tabTo("#pay");
        page.pressKey(Keys.ENTER);
        page.waitUntil(() -> page.text("#pay-message").startsWith("Not enough points"));
        assertThat(page.text("#pay-message")).isEqualTo("Not enough points: " + points(price)
                + " more needed (you have 0, the seat costs " + points(price) + ").");
        assertThat(page.active().getAttribute("id")).isEqualTo("charge-amount");
        assertThat(page.active().getAttribute("value")).isEqualTo(Long.toString(price));
        page.screenshot("points-missing");

        page.pressKey(Keys.ENTER);   // submits the charge form with the missing amount
        page.waitUntil(() -> page.text("#balance").startsWith("Charged"));
        assertThat(page.text("#balance")).isEqualTo("Charged " + points(price) + " points. Balance: "
                + points(price) + " points.");
        assertThat(page.active().getAttribute("id")).isEqualTo("pay");
        page.pressKey(Keys.ENTER);
        page.waitUntil(() -> page.text("#pay-result").startsWith("Paid!"), Duration.ofSeconds(120));
        assertThat(page.text("#pay-result")).isEqualTo("Paid! Reservation " + reservationId + ", seat 5: PAID.");
        page.screenshot("paid");

        // ---- my reservations, in Korean
        browser.findElement(By.cssSelector("[data-lang='ko']")).click();
        browser.get(gateway + "/#/reservations");
        WebElement row = page.waitFor(By.cssSelector("tr[data-reservation-id='" + reservationId + "']"));
        assertThat(row.getAttribute("data-status")).isEqualTo("PAID");
        assertThat(row.getText()).contains("Web page scenario").contains("결제 완료 (PAID)");
        assertThat(page.attribute("html", "lang")).isEqualTo("ko");
        page.screenshot("reservations-korean");

        // the same facts through the API, as the account itself
        SignedIn api1 = platform.accounts().signIn(buyer);
        Reply mine = api.get("/api/v1/reservations/" + reservationId, Api.as(api1.accessToken(), null));
        assertThat(mine.text("status")).isEqualTo("PAID");
        assertThat(mine.number("seatNumber")).isEqualTo(5);
        assertThat(api.get("/api/v1/users/me/points", Api.as(api1.accessToken(), null)).number("balance")).isZero();

        // ---- signing out ends the session: the page offers to sign in again
        browser.findElement(By.cssSelector("[data-lang='en']")).click();
        browser.findElement(By.id("sign-out")).click();
        page.waitUntil(() -> browser.getCurrentUrl().startsWith(gateway) && page.isDisplayed("#sign-in") && !page.isDisplayed("#sign-out"));
        assertThat(page.js("return sessionStorage.getItem('concert.tokens')")).isNull();
        page.screenshot("signed-out");

        // ---- no console errors, except the network lines Chromium logs for the two refusals this scenario provoked
        assertThat(page.consoleErrors(WebClientIT::expectedRefusal)).as("console errors").isEmpty();

        // the rival pays for what it took: no hold of this scenario is left to expire during the later ones
        // (DuplicateDeliveryIT compares the business state before and after its burst)
        for (java.util.Map.Entry<Shopper, Long> hold : rivalHolds.entrySet()) {
            hold.getKey().charge(hold.getKey().reservation(hold.getValue()).number("price"));
            Reply paid = hold.getKey().payRetrying(hold.getValue(), WAIT);
            assertThat(paid.status()).as("%s", paid).isEqualTo(200);
        }

        CheckReport report = platform.checkInvariants("the web page scenario");
        assertThat(report.violated()).as(report.format()).isEmpty();
    }

    /** The hold of a taken seat (409) and the payment without enough points (402). */
    private static boolean expectedRefusal(String message) {
        return message.matches(".*/api/v1/reservations - Failed to load resource: the server responded with a status of 409.*")
                || message.matches(".*/api/v1/payments - Failed to load resource: the server responded with a status of 402.*");
    }

    /** Points as the English page writes them: 7,010. */
    private static String points(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
