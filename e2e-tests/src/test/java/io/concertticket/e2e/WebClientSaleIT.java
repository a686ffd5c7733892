package io.concertticket.e2e;

import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Browser;
import io.concertticket.e2e.harness.BrowserExtension;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.Operator;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import io.concertticket.testing.KeycloakAccounts.Account;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page while an operator runs the sale (docs/web-client.md), in headless Chromium through {@link Browser}: the
 * concert list says the pre-queue is open and when the sale opens; a buyer who joins it is told they are in the
 * pre-queue and get a random place at the opening (with the opening time); the operator pauses admission and moves
 * the opening to a few seconds later: the page shows the place it got and says the line is paused instead of a wait;
 * after resume it is the buyer's turn. A sale not open yet says when it opens, a sale the operator closed says it has
 * ended. Screenshots: {@code target/web-screenshots/sale-*.png}.
 */
@ExtendWith(PlatformExtension.class)
@Isolated("a browser journey: Chromium takes most of a core and waits at a person's pace")
@Order(11)
class WebClientSaleIT {

    static final Duration WAIT = Browser.WAIT;
    /** Others in the pre-queue with the browser's buyer: at 20 per tick, the buyer may be in the second round. */
    static final int OTHERS = 30;

    @RegisterExtension
    static final BrowserExtension browsers = new BrowserExtension("sale-");

    static Browser page;

    @Test
    void aBuyerSeesThePreQueueItsRandomPlaceThePausedLineAndSalesNotOpenOrEnded() throws Exception {
        page = browsers.open("sale");
        WebDriver browser = page.driver;
        Platform platform = PlatformExtension.platform();
        String gateway = platform.gatewayUrl();
        platform.accounts().allowBrowserOrigin("concert-web", gateway);
        Api api = new Api(gateway);
        Operator operator = platform.operator();
        Map<String, String> op = Api.as(operator.identityToken(), null);
        String run = "websale-" + UUID.randomUUID().toString().substring(0, 8);

        // a sale opening in ten minutes whose pre-queue runs from now on
        Instant opens = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofMinutes(10));
        long concertId = createConcert(api, op, "Pre-queue scenario " + run, opens, true);
        operator.awaitSaleState(concertId, "PRE_QUEUE");
        Account buyer = platform.accounts().create(run + "-buyer", 1).get(0);
        List<Shopper> others = platform.shoppers(api, run + "-other", OTHERS, concertId);

        // ---- the list: the pre-queue is open, with the opening, and the card offers to join
        browser.get(gateway + "/");
        WebElement card = page.waitFor(By.cssSelector("li[data-concert-id='" + concertId + "']"));
        assertThat(card.findElement(By.cssSelector(".sale")).getText()).isEqualTo("Pre-queue open: the sale opens " + dateTime(opens));
        page.screenshot("list-pre-queue");

        // ---- sign in on Keycloak's form, join behind the others
        page.waitFor(By.id("sign-in")).click();
        page.waitFor(By.id("username")).sendKeys(buyer.username());
        browser.findElement(By.id("password")).sendKeys(buyer.password(), Keys.ENTER);
        page.waitUntil(() -> page.text("#who").equals("Signed in as " + buyer.username()));
        for (Reply r : Crowd.race(others, WAIT, Shopper::register)) {
            assertThat(r.status()).as("%s", r).isEqualTo(201);
            assertThat(r.body().path("preQueue").asBoolean()).isTrue();
        }
        page.waitFor(By.cssSelector("li[data-concert-id='" + concertId + "'] button.join")).click();
        String preQueue = "You are in the pre-queue. When the sale opens at " + dateTime(opens) + ", everyone in the pre-queue gets a "
                + "place in line at random, and whoever comes later queues behind. Keep this page open.";
        page.waitUntil(() -> page.text("#queue-live").equals(preQueue));
        assertThat(page.text("#queue-position")).isEqualTo("–");
        assertThat(page.text("#queue-ahead")).isEqualTo("–");
        assertThat(page.text("#queue-wait")).isEqualTo("until the sale opens");
        page.screenshot("pre-queue");

        // ---- the operator pauses admission and moves the opening to a few seconds from now
        String sale = "/api/v1/admin/sales/" + concertId;
        assertThat(api.post(sale + "/pause", op).status()).isEqualTo(200);
        Instant opening = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        Reply moved = api.put("/api/v1/admin/concerts/" + concertId + "/sale", op, Map.of("saleOpensAt", opening.toString(),
                "preQueueEnabled", true, "preQueueLeadSeconds", 3600));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);

        // the page gets its random place and says the line is paused instead of a wait
        page.waitUntil(() -> page.text("#queue-position").matches("\\d+"), Duration.ofSeconds(60));
        long place = Long.parseLong(page.text("#queue-position"));
        assertThat(place).isBetween(1L, (long) OTHERS + 1);
        page.waitUntil(() -> page.text("#queue-live").startsWith("The line is paused"));
        assertThat(page.text("#queue-live")).isEqualTo("The line is paused for now: nobody is let in at the moment, and your place is "
                + "kept. You are number " + place + " in line; " + (place - 1) + " ahead of you.");
        assertThat(page.text("#queue-ahead")).isEqualTo(Long.toString(place - 1));
        assertThat(page.text("#queue-wait")).isEqualTo("not known while paused");
        page.screenshot("paused");
        Thread.sleep(3 * Platform.ADMISSION_TICK.toMillis());
        assertThat(page.text("#queue-position")).as("still paused several ticks later").isEqualTo(Long.toString(place));
        assertThat(page.isDisplayed("#queue-admitted")).isFalse();

        // ---- resume: it is the buyer's turn within a round or two
        assertThat(api.post(sale + "/resume", op).status()).isEqualTo(200);
        page.waitUntil(() -> page.isDisplayed("#queue-admitted"), Duration.ofSeconds(60));
        assertThat(page.text("#queue-admitted-text")).isEqualTo("It's your turn! You may choose a seat now.");
        page.screenshot("admitted");

        // ---- a sale that opens in two hours, without a pre-queue: the page says when, and that it will join then
        Instant later = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(2));
        long notYet = createConcert(api, op, "Later scenario " + run, later, false);
        operator.awaitSaleState(notYet, "ANNOUNCED");
        browser.get(gateway + "/#/queue/" + notYet);
        page.waitUntil(() -> page.text("#queue-live").startsWith("The sale has not opened yet"));
        assertThat(page.text("#queue-live")).isEqualTo("The sale has not opened yet: it opens " + dateTime(later) + ".");
        assertThat(page.text("#queue-next")).isEqualTo("This page joins by itself at " + time(later) + ".");
        page.screenshot("not-open");

        // ---- a sale the operator closed: the page says it has ended
        Sale closed = operator.openSale("Closed scenario " + run, 2, 1_000);
        assertThat(platform.shopper(run + "-first", closed.concertId()).register().status()).isEqualTo(201);
        Reply close = api.post("/api/v1/admin/sales/" + closed.concertId() + "/close", op);
        assertThat(close.status()).as("%s", close).isEqualTo(200);
        // the browser goes there once a new account is refused (each try a new account: an accepted one would keep its place)
        Reply probe;
        int tries = 0;
        do {
            probe = platform.shopper(run + "-probe" + ++tries, closed.concertId()).register();
        } while (!probe.is(409) && tries < 20);
        assertThat(probe.problem()).as("%s", probe).isEqualTo("sale-closed");
        browser.get(gateway + "/#/queue/" + closed.concertId());
        page.waitUntil(() -> page.text("#queue-live").equals("The sale has ended."));
        page.screenshot("ended");

        // ---- no console errors but the network lines of the two refused registrations
        assertThat(page.consoleErrors(m -> m.matches(
                ".*/api/v1/queue/tokens - Failed to load resource: the server responded with a status of 409.*"))).as("console errors").isEmpty();
    }

    /** {@code POST /api/v1/admin/concerts} with a sale window (pre-queue an hour before the opening, or none), and a schedule with seats. */
    private static long createConcert(Api api, Map<String, String> op, String title, Instant opens, boolean preQueue) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("title", title, "venue", "E2E Hall", "saleOpensAt", opens.toString(),
                "preQueueEnabled", preQueue));
        if (preQueue) {
            body.put("preQueueLeadSeconds", 3600);
        }
        Reply created = api.post("/api/v1/admin/concerts", op, body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long concertId = created.number("concertId");
        Reply schedule = api.post("/api/v1/admin/concerts/" + concertId + "/schedules", op, Map.of(
                "performanceAt", Instant.now().plus(Duration.ofDays(30)).toString(),
                "reservableFrom", Instant.now().minus(Duration.ofHours(1)).toString()));
        assertThat(schedule.status()).as("%s", schedule).isEqualTo(201);
        Reply seats = api.post("/api/v1/admin/schedules/" + schedule.number("scheduleId") + "/seats", op, Map.of("seatCount", 4, "price", 3_000));
        assertThat(seats.status()).as("%s", seats).isEqualTo(201);
        return concertId;
    }

    /** An instant as the English page writes a date and time (its own Intl, in the browser's time zone). */
    private static String dateTime(Instant at) {
        return (String) page.js("return new Intl.DateTimeFormat('en', {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(arguments[0]))",
                at.toString());
    }

    /** An instant as the English page writes a time of day. */
    private static String time(Instant at) {
        return (String) page.js("return new Intl.DateTimeFormat('en', {timeStyle: 'medium'}).format(new Date(arguments[0]))", at.toString());
    }
}
