package io.concertticket.e2e;

import io.concertticket.checker.CheckReport;
import io.concertticket.e2e.harness.Api;
import io.concertticket.e2e.harness.Api.Reply;
import io.concertticket.e2e.harness.Crowd;
import io.concertticket.e2e.harness.Operator.Sale;
import io.concertticket.e2e.harness.Platform;
import io.concertticket.e2e.harness.PlatformExtension;
import io.concertticket.e2e.harness.Shopper;
import io.concertticket.testing.KeycloakAccounts.Account;
import io.concertticket.testing.KeycloakAccounts.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The buyers' web page (api-gateway's {@code META-INF/resources}) in a real headless Chromium against the whole
 * platform: signing in through Keycloak's own login form (authorization code + PKCE on {@code concert-web}),
 * waiting in line behind other people and watching the place fall, being admitted, losing a seat to someone
 * faster, holding another, being told how many points are missing, charging, paying and seeing the reservation
 * PAID, in English and in Korean, with the keyboard alone from the concert list to the paid ticket, and without a
 * console error. Screenshots of each step: {@code target/web-screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/run} installs them when missing).
 * Runs first: it needs the normal hold duration, before the expiry scenario shortens it.
 */
@ExtendWith(PlatformExtension.class)
@Order(0)
class WebClientIT {

    static final Path CHROMIUM = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver"));
    /** People in line before the browser's user: at 20 per 1 s tick, several polls see the place fall. */
    static final int AHEAD = 200;
    static final Duration WAIT = Duration.ofSeconds(90);

    static WebDriver browser;
    static Path screenshots;
    static int shot;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("WebClientIT needs Chromium and its driver: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (as root: apt-get update && apt-get install -y chromium chromium-driver; .ci/run does this)");
        }
        Path target = PlatformExtension.platform().logs().getParent();
        screenshots = target.resolve("web-screenshots");
        Files.createDirectories(screenshots);
        try (var old = Files.list(screenshots)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the network is closed: nothing of Chromium's own calls home
        options.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--lang=en-US", "--window-size=412,915");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(target.resolve("e2e-logs").resolve("chromedriver.log").toFile())
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aBuyerSignsInWaitsInLineLosesASeatHoldsAnotherChargesAndPaysWithTheKeyboardInEnglishAndKorean() throws Exception {
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
        WebElement card = waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "']"));
        assertThat(card.findElement(By.cssSelector(".sale")).getText()).isEqualTo("Sale open");
        assertThat(card.getText()).contains("Web page scenario").contains("E2E Hall").contains("Dates")
                .contains("7,010 – 7,060 points");
        screenshot("concerts");
        browser.findElement(By.cssSelector("[data-lang='ko']")).click();
        waitUntil(() -> "ko".equals(attribute("html", "lang")));
        assertThat(text("#concerts-title")).isEqualTo("공연");
        card = waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "']"));
        assertThat(card.findElement(By.cssSelector(".sale")).getText()).isEqualTo("예매 중");
        assertThat(card.findElement(By.cssSelector("button.join")).getText()).isEqualTo("대기열 입장");
        assertThat(text("#sign-in")).isEqualTo("로그인");
        screenshot("concerts-korean");
        browser.findElement(By.cssSelector("[data-lang='en']")).click();
        waitUntil(() -> "en".equals(attribute("html", "lang")));

        // ---- sign in on Keycloak's own login form, with the keyboard
        tabTo("#sign-in");
        pressKey(Keys.ENTER);
        waitFor(By.id("username")).sendKeys(buyer.username());
        browser.findElement(By.id("password")).sendKeys(buyer.password(), Keys.ENTER);
        waitUntil(() -> text("#who").equals("Signed in as " + buyer.username()));
        assertThat(browser.getCurrentUrl()).isEqualTo(gateway + "/#/concerts");  // the code left the address bar

        // ---- the waiting room, behind AHEAD people who joined (all at once) just before
        waitFor(By.cssSelector("li[data-concert-id='" + sale.concertId() + "'] button.join"));
        tabTo("li[data-concert-id='" + sale.concertId() + "'] button.join");
        for (Reply r : Crowd.race(ahead, WAIT, Shopper::register)) {
            assertThat(r.status()).as("%s", r).isEqualTo(201);
        }
        pressKey(Keys.ENTER);
        waitUntil(() -> !text("#queue-position").equals("–") || isDisplayed("#queue-admitted"));
        long firstPosition = Long.parseLong(text("#queue-position").replace(",", ""));
        assertThat(firstPosition).as("the buyer joined behind the others").isGreaterThan(20);
        assertThat(text("#queue-ahead").replace(",", "")).isEqualTo(Long.toString(firstPosition - 1));
        assertThat(text("#queue-live")).contains("in line").contains("Estimated wait");
        screenshot("queue-waiting");

        // a reload keeps the same place in line (the same queue token, polled again)
        String token = (String) js("return Object.entries(localStorage).find(([k]) => k.startsWith('concert.queue.'))[1]");
        browser.navigate().refresh();
        waitFor(By.id("queue-position"));
        assertThat((String) js("return Object.entries(localStorage).find(([k]) => k.startsWith('concert.queue.'))[1]")).isEqualTo(token);

        // the place falls with the admission ticks, then the buyer is admitted
        List<Long> seen = new ArrayList<>();
        seen.add(firstPosition);
        waitUntil(() -> {
            String p = text("#queue-position").replace(",", "");
            if (!isDisplayed("#queue-admitted") && p.matches("\\d+") && Long.parseLong(p) != seen.get(seen.size() - 1)) {
                seen.add(Long.parseLong(p));
            }
            return isDisplayed("#queue-admitted");
        }, Duration.ofSeconds(120));
        assertThat(seen).as("places seen while waiting").hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(text("#queue-admitted-text")).isEqualTo("It's your turn! You may choose a seat now.");
        assertThat(text("#queue-admitted-until")).startsWith("Your admission lasts until").contains("left");
        assertThat(active().getAttribute("id")).as("the focus moves to the next step").isEqualTo("to-seats");
        screenshot("admitted");

        // ---- seats: somebody faster takes the seat the buyer is about to choose
        pressKey(Keys.ENTER);
        waitFor(By.cssSelector("#seat-map [data-seat='6']"));
        assertThat(text("#seats-count")).isEqualTo("6 seats available");
        assertThat(browser.findElement(By.cssSelector("[data-seat='1']")).getAttribute("aria-label")).isEqualTo("Seat 1, 7,010 points, available");
        int lost = 0;
        // a rival per attempt, so that each pays for its one hold at the end with its own admission
        java.util.Map<Shopper, Long> rivalHolds = new java.util.LinkedHashMap<>();
        for (int seat = 1; seat <= 3 && lost == 0; seat++) {
            Shopper rival = ahead.get(seat - 1);
            rival.awaitAdmission(WAIT);
            tabTo("[data-seat='" + seat + "']");
            Reply taken = rival.hold(sale.scheduleId(), seat);
            assertThat(taken.status()).as("%s", taken).isEqualTo(201);
            rivalHolds.put(rival, taken.number("reservationId"));
            // the map refreshes every 5 s: only a seat still shown free tests the refusal
            if (browser.findElement(By.cssSelector("[data-seat='" + seat + "']")).isEnabled()) {
                pressKey(Keys.ENTER);
                lost = seat;
            }
        }
        assertThat(lost).as("a seat shown free when the rival took it").isPositive();
        int lostSeat = lost;
        waitUntil(() -> isDisplayed("#seats-message") && text("#seats-message").startsWith("Seat " + lostSeat + " was just taken"));
        assertThat(text("#seats-message")).isEqualTo("Seat " + lostSeat
                + " was just taken by someone else. The seat map has been refreshed: please choose another seat.");
        waitUntil(() -> !browser.findElement(By.cssSelector("[data-seat='" + lostSeat + "']")).isEnabled());
        assertThat(browser.findElement(By.cssSelector("[data-seat='" + lostSeat + "']")).getAttribute("aria-label"))
                .isEqualTo("Seat " + lostSeat + ", " + points(sale.price(lostSeat)) + " points, taken");
        screenshot("seat-taken");

        // ---- the buyer holds seat 5 and pays, all with the keyboard
        tabTo("[data-seat='5']");
        pressKey(Keys.ENTER);
        waitUntil(() -> browser.getCurrentUrl().contains("#/pay/") && text("#hold-info").startsWith("Seat 5 is held"));
        long reservationId = Long.parseLong(browser.getCurrentUrl().replaceAll(".*#/pay/", ""));
        long price = sale.price(5);
        assertThat(text("#hold-info")).isEqualTo("Seat 5 is held for you: " + points(price) + " points.");
        waitUntil(() -> text("#hold-left").startsWith("Pay before") && text("#balance").equals("Balance: 0 points"));
        screenshot("hold");

        tabTo("#pay");
        pressKey(Keys.ENTER);
        waitUntil(() -> text("#pay-message").startsWith("Not enough points"));
        assertThat(text("#pay-message")).isEqualTo("Not enough points: " + points(price)
                + " more needed (you have 0, the seat costs " + points(price) + ").");
        assertThat(active().getAttribute("id")).isEqualTo("charge-amount");
        assertThat(active().getAttribute("value")).isEqualTo(Long.toString(price));
        screenshot("points-missing");

        pressKey(Keys.ENTER);   // submits the charge form with the missing amount
        waitUntil(() -> text("#balance").startsWith("Charged"));
        assertThat(text("#balance")).isEqualTo("Charged " + points(price) + " points. Balance: "
                + points(price) + " points.");
        assertThat(active().getAttribute("id")).isEqualTo("pay");
        pressKey(Keys.ENTER);
        waitUntil(() -> text("#pay-result").startsWith("Paid!"), Duration.ofSeconds(120));
        assertThat(text("#pay-result")).isEqualTo("Paid! Reservation " + reservationId + ", seat 5: PAID.");
        screenshot("paid");

        // ---- my reservations, in Korean
        browser.findElement(By.cssSelector("[data-lang='ko']")).click();
        browser.get(gateway + "/#/reservations");
        WebElement row = waitFor(By.cssSelector("tr[data-reservation-id='" + reservationId + "']"));
        assertThat(row.getAttribute("data-status")).isEqualTo("PAID");
        assertThat(row.getText()).contains("Web page scenario").contains("결제 완료 (PAID)");
        assertThat(attribute("html", "lang")).isEqualTo("ko");
        screenshot("reservations-korean");

        // the same facts through the API, as the account itself
        SignedIn api1 = platform.accounts().signIn(buyer);
        Reply mine = api.get("/api/v1/reservations/" + reservationId, Api.as(api1.accessToken(), null));
        assertThat(mine.text("status")).isEqualTo("PAID");
        assertThat(mine.number("seatNumber")).isEqualTo(5);
        assertThat(api.get("/api/v1/users/me/points", Api.as(api1.accessToken(), null)).number("balance")).isZero();

        // ---- signing out ends the session: the page offers to sign in again
        browser.findElement(By.cssSelector("[data-lang='en']")).click();
        browser.findElement(By.id("sign-out")).click();
        waitUntil(() -> browser.getCurrentUrl().startsWith(gateway) && isDisplayed("#sign-in") && !isDisplayed("#sign-out"));
        assertThat(js("return sessionStorage.getItem('concert.tokens')")).isNull();
        screenshot("signed-out");

        // ---- no console errors, except the network lines Chromium logs for the two refusals this scenario provoked
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !expectedRefusal(e.getMessage())) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("console errors").isEmpty();

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

    // ---- helpers ------------------------------------------------------------------------------

    private static WebElement waitFor(By by) {
        try {
            return new WebDriverWait(browser, WAIT).until(d -> {
                List<WebElement> found = d.findElements(by);
                return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(by + " did not show within " + WAIT + "; " + whereTheBrowserIs(), e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        waitUntil(condition, WAIT);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration max) {
        try {
            new WebDriverWait(browser, max).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page did not get there within " + max + "; " + whereTheBrowserIs(), e);
        }
    }

    /** What a failure report needs: the address, the page's text, the console (and a screenshot). */
    private static String whereTheBrowserIs() {
        try {
            screenshot("failure");
        } catch (IOException | RuntimeException ignored) {
            // the report without it
        }
        String body = browser.findElement(By.tagName("body")).getText();
        StringBuilder console = new StringBuilder();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            console.append("\n  ").append(e.getLevel()).append(' ').append(e.getMessage());
        }
        return "at " + browser.getCurrentUrl() + ", showing:\n" + body.substring(0, Math.min(2000, body.length()))
                + "\nconsole:" + console;
    }

    private static String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static boolean isDisplayed(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    private static String attribute(String css, String name) {
        return browser.findElement(By.cssSelector(css)).getAttribute(name);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebElement active() {
        return browser.switchTo().activeElement();
    }

    private static void pressKey(CharSequence key) {
        new Actions(browser).sendKeys(key).perform();
    }

    /** Presses Tab until the element matching {@code css} has the focus, as a keyboard user would. */
    private static void tabTo(String css) {
        for (int i = 0; i < 150; i++) {
            if (Boolean.TRUE.equals(js("return document.activeElement !== null && document.activeElement.matches(arguments[0])", css))) {
                return;
            }
            pressKey(Keys.TAB);
        }
        throw new AssertionError("Tab never reached " + css + "; focus is on " + js("return document.activeElement.outerHTML"));
    }

    private static void screenshot(String step) throws IOException {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), screenshots.resolve(String.format("%02d-%s.png", ++shot, step)), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Points as the English page writes them: 7,010. */
    private static String points(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
