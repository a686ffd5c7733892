package io.concertticket.concert.application;

import io.concertticket.concert.domain.ConcertSchedule;
import io.concertticket.concert.domain.NotFoundException;
import io.concertticket.concert.domain.SeatView;
import io.concertticket.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The seat map of a schedule, for a caller admitted to its concert: from memory ({@link SeatBoard}), at most
 * a fraction of a second behind the database, and never behind this replica's own holds.
 */
@ApplicationScoped
public class ListSeats {

    public record ScheduleSeats(ConcertSchedule schedule, List<SeatView> seats) {
    }

    private final ScheduleLookup schedules;
    private final SeatBoard board;

    ListSeats(ScheduleLookup schedules, SeatBoard board) {
        this.schedules = schedules;
        this.board = board;
    }

    public ScheduleSeats of(Caller caller, long scheduleId) {
        ConcertSchedule schedule = schedules.find(scheduleId).orElseThrow(() -> NotFoundException.schedule(scheduleId));
        caller.requireAdmissionTo(schedule.getConcertId());
        return new ScheduleSeats(schedule, board.seats(scheduleId));
    }
}
