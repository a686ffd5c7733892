package io.concertticket.events;

import io.concertticket.testing.Sql;

import javax.sql.DataSource;

/** platform-testing's {@link Sql} on the test database, and what these tests ask of the outbox. */
final class Db extends Sql {

    Db(DataSource ds) {
        super(ds);
    }

    long pendingOnTopic(String topic) {
        return queryLong("SELECT count(*) FROM outbox_event WHERE topic = ?", topic);
    }
}
