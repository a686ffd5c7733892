package io.concertticket.concert;

import com.fasterxml.jackson.databind.JsonNode;
import io.concertticket.concert.application.SeedDemoData;
import io.concertticket.concert.support.ConcertApi;
import io.concertticket.concert.support.Tokens;
import io.concertticket.concert.support.Db;
import io.concertticket.concert.support.DemoDatabaseResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(DemoDatabaseResource.class)
class DemoDataTest {

    @Inject
    Db db;
    @Inject
    SeedDemoData seed;

    @Test
    void anEmptyDatabaseIsSeededWithOpenUpcomingAndPastSchedules() {
        JsonNode concerts = ConcertApi.get("/api/v1/concerts", null).body();
        assertThat(concerts.path("totalItems").asLong()).isEqualTo(4);
        concerts.path("items").forEach(c -> assertThat(c.path("minPrice").asLong()).isPositive());

        assertThat(db.queryLong("SELECT count(*) FROM concert_schedule WHERE reservable_from <= now() AND performance_at > now()")).isPositive();
        assertThat(db.queryLong("SELECT count(*) FROM concert_schedule WHERE reservable_from > now()")).isPositive();
        assertThat(db.queryLong("SELECT count(*) FROM concert_schedule WHERE performance_at <= now()")).isPositive();
        assertThat(db.queryLong("SELECT count(DISTINCT schedule_id) FROM seat")).isEqualTo(db.queryLong("SELECT count(*) FROM concert_schedule"));
        assertThat(db.queryLong("SELECT count(*) FROM concert_schedule WHERE max_seat_count <> 50")).isZero();

        // an open demo schedule can be held right away
        long concertId = db.queryLong("SELECT concert_id FROM concert_schedule WHERE reservable_from <= now() AND performance_at > now() LIMIT 1");
        String buyer = Tokens.admitted("demo-user", concertId);
        JsonNode schedules = ConcertApi.get("/api/v1/concerts/" + concertId + "/schedules", buyer).body();
        long scheduleId = schedules.path("schedules").get(0).path("scheduleId").asLong();
        assertThat(ConcertApi.hold(buyer, scheduleId, 1).status()).isEqualTo(201);
    }

    @Test
    void replicasStartingTogetherSeedOnce() throws Exception {
        db.update("TRUNCATE reservation, seat, concert_schedule, concert RESTART IDENTITY");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return seed.seedIfEmpty();
                }));
            }
            go.countDown();
            int seeded = 0;
            for (Future<Boolean> r : runs) {
                seeded += r.get() ? 1 : 0;
            }
            assertThat(seeded).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.queryLong("SELECT count(*) FROM concert")).isEqualTo(4);
        assertThat(seed.seedIfEmpty()).isFalse();
        assertThat(db.queryLong("SELECT count(*) FROM concert")).isEqualTo(4);
    }
}
