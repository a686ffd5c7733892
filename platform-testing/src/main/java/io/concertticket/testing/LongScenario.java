package io.concertticket.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fault or real-time scenario that runs only in {@code ./mvnw verify -Pfull} (what {@code .ci/run} runs), not in the
 * quick {@code ./mvnw verify}: an outage or a killed process, a flood up to a limit, a frozen replica, or a check that
 * has to wait in real time. The quick suite keeps the tests of every invariant while the infrastructure works; these
 * prove what happens when it breaks, or take minutes of real time (issue 21). Put it on the class, or on a method of
 * a class whose other tests stay quick. The root pom leaves the tag out unless {@code -Pfull}; one such test alone:
 * {@code ./mvnw verify -Pfull -pl <module> -Dtest=<class>}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Inherited // on a contract class (PoolRunDryContract), it tags every service's subclass
@Retention(RetentionPolicy.RUNTIME)
@Tag(LongScenario.TAG)
public @interface LongScenario {

    String TAG = "long-scenario";
}
