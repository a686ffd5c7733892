package io.concertticket.e2e.harness;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The headless Chromiums of one web page test class (WebClientIT, WebClientSaleIT, WebClientRaceIT), so none of them
 * repeats their lifecycle: before the class, the screenshots an earlier run left under this class's prefix are
 * deleted; {@link #open} starts a {@link Browser} (Chromium and chromedriver with the flags {@code Browser} sets; it
 * fails saying what to install when they are missing); when a test fails, every open browser takes a screenshot
 * named {@code failure-<method>} before the failure is reported; after the class every browser is quit, even when a
 * test failed.
 *
 * <pre>{@code
 * @ExtendWith(PlatformExtension.class)
 * class WebClientSaleIT {
 *     @RegisterExtension
 *     static final BrowserExtension browsers = new BrowserExtension("sale-");   // target/web-screenshots/sale-*.png
 *
 *     @Test
 *     void aBuyerSeesThePreQueue() throws Exception {
 *         Browser page = browsers.open("sale");
 *         ...
 *     }
 * }
 * }</pre>
 * Registered after {@link PlatformExtension} (class-level {@code @ExtendWith} comes first), whose platform says where
 * {@code target} is.
 */
public final class BrowserExtension implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler {

    /** Starts one browser: {@code screenshotPrefix} is this class's prefix, to which it may add its own name. */
    @FunctionalInterface
    public interface Starter<B extends Browser> {
        B start(String name, Path target, String screenshotPrefix) throws IOException;
    }

    private final String screenshotPrefix;
    private final List<Browser> open = new ArrayList<>();
    private Path target;

    /** @param screenshotPrefix how this class's screenshots in {@code target/web-screenshots/} begin ("" for none) */
    public BrowserExtension(String screenshotPrefix) {
        this.screenshotPrefix = screenshotPrefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        target = PlatformExtension.platform().logs().getParent();
        Path dir = target.resolve("web-screenshots");
        if (Files.isDirectory(dir)) {
            try (var old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith(screenshotPrefix)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A {@link Browser} whose screenshots start with this class's prefix; its driver logs to {@code chromedriver-<name>.log}. */
    public Browser open(String name) throws IOException {
        return open(name, Browser::new);
    }

    /** A browser made by {@code starter} (a test's own {@link Browser} subclass), quit with the others after the class. */
    public synchronized <B extends Browser> B open(String name, Starter<B> starter) throws IOException {
        if (target == null) {
            throw new IllegalStateException("BrowserExtension must be registered as a static @RegisterExtension field");
        }
        B browser = starter.start(name, target, screenshotPrefix);
        open.add(browser);
        return browser;
    }

    /** A failing test: every open browser's screen as it was, {@code failure-<test method>}, then the failure itself. */
    @Override
    public synchronized void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String step = "failure-" + context.getRequiredTestMethod().getName();
        for (Browser browser : open) {
            try {
                browser.screenshot(step);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);   // a browser that died cannot take one; the failure is still reported
            }
        }
        throw failure;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        RuntimeException first = null;
        for (Browser browser : open) {
            try {
                browser.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
