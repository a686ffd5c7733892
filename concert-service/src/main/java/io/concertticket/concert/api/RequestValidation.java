package io.concertticket.concert.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.BadRequestException;

import java.util.Set;

/**
 * Validates a body after the caller's identity was checked, so a request without an access token
 * gets 401 whatever its body looks like.
 */
@ApplicationScoped
class RequestValidation {

    private final Validator validator;

    RequestValidation(Validator validator) {
        this.validator = validator;
    }

    <T> T valid(T body) {
        if (body == null) {
            throw new BadRequestException("A JSON request body is required.");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }
}
