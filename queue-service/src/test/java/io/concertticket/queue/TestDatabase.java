package io.concertticket.queue;

import io.agroal.api.AgroalDataSource;
import io.concertticket.testing.Sql;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** platform-testing's {@link Sql} on queue-service's own database, for the tests to {@code @Inject}. */
@Dependent
public class TestDatabase {

    @Produces
    @Singleton
    @Unremovable
    Sql sql(AgroalDataSource db) {
        return new Sql(db);
    }
}
