package io.concertticket.e2e.harness;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the platform once per test JVM (the first class that needs it) and stops it when the whole
 * run ends: every end-to-end class shares one stack, as a real deployment would be shared. Classes that only
 * use it run side by side; one that changes it for everyone is {@code @Isolated} (junit-platform.properties).
 */
public final class PlatformExtension implements BeforeAllCallback {

    private static volatile Platform platform;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(PlatformExtension.class, k -> new Stopper(start()), Stopper.class);
    }

    public static Platform platform() {
        if (platform == null) {
            throw new IllegalStateException("the platform is not running (is the class annotated @ExtendWith(PlatformExtension.class)?)");
        }
        return platform;
    }

    private static Platform start() {
        try {
            platform = Platform.start();
            return platform;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the platform: " + e.getMessage(), e);
        }
    }

    /** Closed by JUnit when the root context closes, i.e. after the last test class. */
    private record Stopper(Platform p) implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            p.close();
        }
    }
}
