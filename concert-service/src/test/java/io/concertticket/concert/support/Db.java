package io.concertticket.concert.support;

import io.concertticket.testing.Sql;

import javax.sql.DataSource;

/** Direct SQL on concert-service's database, for what a test must see or arrange behind the API. */
public final class Db extends Sql {

    public Db(DataSource dataSource) {
        super(dataSource);
    }

    /** Moves a reservation's deadline (and its seat's) into the past, as if its hold time had run out. */
    public void expireNow(long reservationId) {
        update("UPDATE seat SET hold_expires_at = now() - interval '1 second' "
                + "WHERE id = (SELECT seat_id FROM reservation WHERE id = ?) AND status = 'HELD'", reservationId);
        update("UPDATE reservation SET expires_at = now() - interval '1 second' WHERE id = ?", reservationId);
    }
}
