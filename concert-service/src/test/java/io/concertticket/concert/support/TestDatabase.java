package io.concertticket.concert.support;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

/** {@link Db} on concert-service's own database, made once for the tests to {@code @Inject}. */
@Dependent
public class TestDatabase {

    @Produces
    @Singleton
    @Unremovable
    Db db(DataSource dataSource) {
        return new Db(dataSource);
    }
}
