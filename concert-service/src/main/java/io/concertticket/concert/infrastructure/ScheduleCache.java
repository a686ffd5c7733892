package io.concertticket.concert.infrastructure;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.concertticket.concert.application.ScheduleLookup;
import io.concertticket.concert.domain.ConcertSchedule;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;

/** Schedules by id, in memory (Caffeine), each loaded once in a transaction of its own. */
@ApplicationScoped
public class ScheduleCache implements ScheduleLookup {

    private final LoadingCache<Long, ConcertSchedule> schedules;

    ScheduleCache(ScheduleRepository repository) {
        // an unknown id is not kept (the loader's null), so a schedule created a moment later is found at once;
        // the seat map's size and price range are set later, so entries do not live for ever
        this.schedules = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofMinutes(1))
                .maximumSize(10_000)
                .build(id -> QuarkusTransaction.requiringNew().call(() -> repository.findById(id)));
    }

    @Override
    public Optional<ConcertSchedule> find(long scheduleId) {
        return Optional.ofNullable(schedules.get(scheduleId));
    }
}
