package io.concertticket.concert.application;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A use case that only reads: inside its transaction, entities are loaded read-only and the
 * session is never flushed (no dirty checking, no accidental writes). Infrastructure's Hibernate interceptor
 * ({@code ReadOnlyInterceptor}) does it.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface ReadOnly {
}
