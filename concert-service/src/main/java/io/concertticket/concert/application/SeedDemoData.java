package io.concertticket.concert.application;

import io.concertticket.concert.domain.Concert;
import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.SeatMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills an empty database with a few concerts to try the platform with: schedules open now,
 * schedules opening later, one already performed; 50 seats each in three price sections.
 * Runs under an advisory lock, so replicas starting together seed once.
 */
@ApplicationScoped
public class SeedDemoData {

    private static final int SEATS = 50;

    private final Concerts concerts;
    private final TransactionLocks locks;
    private final CreateConcert createConcert;
    private final CreateSchedule createSchedule;
    private final CreateSeatMap createSeatMap;
    private final Clock clock;

    SeedDemoData(Concerts concerts, TransactionLocks locks, CreateConcert createConcert,
                 CreateSchedule createSchedule, CreateSeatMap createSeatMap, Clock clock) {
        this.concerts = concerts;
        this.locks = locks;
        this.createConcert = createConcert;
        this.createSchedule = createSchedule;
        this.createSeatMap = createSeatMap;
        this.clock = clock;
    }

    /** @return whether data was seeded (false: the database already had concerts) */
    @Transactional
    public boolean seedIfEmpty() {
        locks.lockDemoSeeding();
        if (concerts.countAll() > 0) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.HOURS);
        Duration day = Duration.ofDays(1);

        Concert spring = createConcert.create("Spring Symphony Night", "Seoul Arts Center");
        schedule(spring, now.plus(day.multipliedBy(7)), now.minus(day), 50_000, 80_000, 120_000);
        schedule(spring, now.plus(day.multipliedBy(8)), now.minus(day), 50_000, 80_000, 120_000);
        schedule(spring, now.minus(day.multipliedBy(30)), now.minus(day.multipliedBy(60)), 50_000, 80_000, 120_000);

        Concert rock = createConcert.create("Rock Festival 2026", "Olympic Park");
        schedule(rock, now.plus(day.multipliedBy(14)), now.minus(Duration.ofHours(2)), 70_000, 99_000, 150_000);
        schedule(rock, now.plus(day.multipliedBy(21)), now.plus(day.multipliedBy(3)), 70_000, 99_000, 150_000);

        Concert jazz = createConcert.create("Late Night Jazz", "Blue Note Hall");
        schedule(jazz, now.plus(day.multipliedBy(3)), now.minus(day), 30_000, 45_000, 60_000);

        Concert idol = createConcert.create("Idol World Tour", "Gocheok Sky Dome");
        schedule(idol, now.plus(day.multipliedBy(40)), now.plus(day.multipliedBy(10)), 110_000, 132_000, 165_000);
        return true;
    }

    /** Seats 1-10 front section (highest price), 11-30 middle, 31-50 back. */
    private void schedule(Concert concert, Instant performanceAt, Instant reservableFrom, long back, long middle, long front) {
        ConcertSchedule schedule = createSchedule.create(concert.getId(), performanceAt, reservableFrom);
        List<SeatMap.SeatSpec> seats = new ArrayList<>(SEATS);
        for (int n = 1; n <= SEATS; n++) {
            seats.add(new SeatMap.SeatSpec(n, n <= 10 ? front : n <= 30 ? middle : back));
        }
        createSeatMap.create(schedule.getId(), SeatMap.of(seats));
    }
}
