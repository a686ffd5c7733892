package io.concertticket.e2e.harness;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
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
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;

/**
 * One person's headless Chromium for the web page tests (WebClientIT, WebClientSaleIT, WebClientRaceIT, which get it
 * from {@link BrowserExtension}, owner of the lifecycle): Debian's {@code chromium}
 * driven through its {@code chromedriver}, phone-sized, started so that nothing of Chromium's own calls home (the
 * network is closed), with the console kept for the checks; and what those tests do with it: wait for an element
 * or a condition (a timeout reports the address, the page's text, the console and a screenshot), read text, move
 * with the keyboard, take screenshots, list console errors.
 */
public class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver"));
    /** How long a page may take to show what is waited for, unless a wait says otherwise. */
    public static final Duration WAIT = Duration.ofSeconds(90);

    /** The browser itself, for what the helpers below do not cover. */
    public final WebDriver driver;
    private final String name;
    private final Path screenshots;
    private final String screenshotPrefix;
    private int shot;

    /**
     * Starts a Chromium; its driver logs to {@code target/e2e-logs/chromedriver-<name>.log} and its screenshots go to
     * {@code target/web-screenshots/<screenshotPrefix>NN-<step>.png}. Fails, saying what to install, without Chromium.
     */
    public Browser(String name, Path target, String screenshotPrefix) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the web page tests need Chromium and its driver: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (as root: apt-get update && apt-get install -y chromium chromium-driver; .ci/run does this)");
        }
        this.name = name;
        this.screenshots = target.resolve("web-screenshots");
        this.screenshotPrefix = screenshotPrefix;
        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--lang=en-US", "--window-size=412,915");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(target.resolve("e2e-logs").resolve("chromedriver-" + name + ".log").toFile())
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    /** The first element {@code by} finds, once it is displayed (within {@link #WAIT}). */
    public WebElement waitFor(By by) {
        try {
            return new WebDriverWait(driver, WAIT).until(d -> {
                List<WebElement> found = d.findElements(by);
                return !found.isEmpty() && found.get(0).isDisplayed() ? found.get(0) : null;
            });
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": " + by + " did not show within " + WAIT + "; " + where(), e);
        }
    }

    public void waitUntil(BooleanSupplier condition) {
        waitUntil(condition, WAIT);
    }

    public void waitUntil(BooleanSupplier condition, Duration max) {
        try {
            new WebDriverWait(driver, max).ignoring(StaleElementReferenceException.class)
                    .until(d -> condition.getAsBoolean());
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": the page did not get there within " + max + "; " + where(), e);
        }
    }

    /** What a failure report needs: the address, the page's text, the console (and a screenshot). */
    public String where() {
        try {
            screenshot("failure");
        } catch (IOException | RuntimeException ignored) {
            // the report without it
        }
        String body = driver.findElement(By.tagName("body")).getText();
        StringBuilder console = new StringBuilder();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            console.append("\n  ").append(e.getLevel()).append(' ').append(e.getMessage());
        }
        return "at " + driver.getCurrentUrl() + ", showing:\n" + body.substring(0, Math.min(2000, body.length()))
                + "\nconsole:" + console;
    }

    /** The text of the first element matching {@code css}, or "" if there is none. */
    public String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    public boolean isDisplayed(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    public String attribute(String css, String name) {
        return driver.findElement(By.cssSelector(css)).getAttribute(name);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The element that has the focus. */
    public WebElement active() {
        return driver.switchTo().activeElement();
    }

    public void pressKey(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    /** Presses Tab until the element matching {@code css} has the focus, as a keyboard user would. */
    public void tabTo(String css) {
        for (int i = 0; i < 150; i++) {
            if (Boolean.TRUE.equals(js("return document.activeElement !== null && document.activeElement.matches(arguments[0])", css))) {
                return;
            }
            pressKey(Keys.TAB);
        }
        throw new AssertionError(name + ": Tab never reached " + css + "; focus is on " + js("return document.activeElement.outerHTML"));
    }

    /** The console's SEVERE entries so far, but those {@code expected} accepts (a refusal the scenario provoked). */
    public List<String> consoleErrors(Predicate<String> expected) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !expected.test(e.getMessage())) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    public void screenshot(String step) throws IOException {
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), screenshots.resolve(String.format("%s%02d-%s.png", screenshotPrefix, ++shot, step)),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
