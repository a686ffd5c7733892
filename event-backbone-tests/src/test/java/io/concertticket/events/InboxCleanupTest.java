package io.concertticket.events;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = EventBackboneInfra.class, initArgs = @ResourceArg(name = "relay", value = "on"))
class InboxCleanupTest {

    @Inject
    InboxCleanup cleanup;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void deletesProcessedEventIdsOlderThanTheRetentionAndKeepsRecentOnes() throws Exception {
        Db db = new Db(dataSource);
        String consumer = "cleanup-" + UUID.randomUUID();
        // more than one delete chunk
        db.update("INSERT INTO processed_event (consumer, event_id, processed_at) "
                + "SELECT ?, gen_random_uuid(), now() - interval '8 days' FROM generate_series(1, 12000)", consumer);
        UUID recent = UUID.randomUUID();
        db.update("INSERT INTO processed_event (consumer, event_id, processed_at) VALUES (?, ?, now() - interval '6 days')", consumer, recent);

        int deleted = cleanup.purgeOlderThan(Duration.ofDays(7));

        assertThat(deleted).isGreaterThanOrEqualTo(12_000);
        assertThat(db.queryLong("SELECT count(*) FROM processed_event WHERE consumer = ?", consumer)).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM processed_event WHERE event_id = ?", recent)).isEqualTo(1);
    }
}
