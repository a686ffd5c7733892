package io.concertticket.queue.infrastructure;

import io.concertticket.queue.application.Registrations;
import io.concertticket.queue.application.Sales;
import io.concertticket.queue.domain.RegistrationNotWrittenException;
import io.concertticket.queue.domain.SaleNotFoundException;
import io.concertticket.queue.domain.ShuffleSeeds;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Registrations of one room are serialised by the room's arrivals lock, its {@code waiting_room} row
 * (that is what makes arrival numbers gap-free and committed in order); admission rounds lock the room's
 * admission row instead, so they do not hold registrations up (see WaitingRoomRepository). So that a
 * surge does not queue thousands of transactions on that one lock, registrations arriving together at this replica are written
 * together (group commit): whichever request thread finds the room idle takes every registration
 * queued so far and writes them in one transaction with one multi-row insert, while the others sleep
 * until their outcome is known. When its batch is committed the writer hands the room to the request
 * now at the head of the queue, which writes the next batch (its own registration included), so no
 * request writes for others for long. At low load a batch is just the one registration.
 *
 * <p>Under the arrivals lock the check for a user's live token is exact: live tokens are only ever
 * created under that same lock (admission only turns a live token into another live one; drops take this lock too), so there is no race left to lose and no arrival number is wasted.
 * Several replicas batch independently and queue on the lock, batch by batch.
 */
@ApplicationScoped
public class RegistrationBatcher implements Registrations {

    /** Most registrations written in one transaction. */
    static final int MAX_BATCH = 500;

    /**
     * One registration waiting to be written. {@code lead} is completed when the previous writer hands
     * the room over to this request (it is then at the head of the queue, so it writes itself too).
     */
    private record Pending(String userId, CompletableFuture<Outcome> outcome, CompletableFuture<Void> lead) {
    }

    private static final class Room {
        final long concertId;
        final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
        /** Held by the one request thread writing this room's queue; passed on, never spun for. */
        final AtomicBoolean writing = new AtomicBoolean();

        Room(long concertId) {
            this.concertId = concertId;
        }
    }

    /** Longest a registration waits for its batch before giving up (the database is in trouble then). */
    private static final long MAX_WAIT_SECONDS = 30;

    private final EntityManager em;
    private final SaleRepository sales;
    private final WaitingRoomRepository rooms;
    private final Map<Long, Room> queues = new ConcurrentHashMap<>();

    RegistrationBatcher(EntityManager em, SaleRepository sales, WaitingRoomRepository rooms) {
        this.em = em;
        this.sales = sales;
        this.rooms = rooms;
    }

    @Override
    public Outcome register(long concertId, String userId) {
        Room room = queues.computeIfAbsent(concertId, Room::new);
        Pending mine = new Pending(userId, new CompletableFuture<>(), new CompletableFuture<>());
        room.queue.add(mine);
        // Waiting requests sleep until their batch is written or the room is handed to them: no polling,
        // so a thousand waiting registrations cost no CPU (an earlier version woke each one every 2 ms).
        boolean writeNow = room.writing.compareAndSet(false, true);
        boolean ledOnce = false;
        try {
            while (true) {
                if (writeNow) {
                    try {
                        writeQueued(room);
                    } finally {
                        handOver(room);
                    }
                }
                if (mine.outcome.isDone()) {
                    return mine.outcome.get();
                }
                try {
                    CompletableFuture.anyOf(mine.outcome, mine.lead).get(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // Completing our own lead first means nobody can hand the room to a request that left;
                    // if it fails, the room was just handed to us and we write after all.
                    if (mine.lead.complete(null)) {
                        throw new RegistrationNotWrittenException(MAX_WAIT_SECONDS, e);
                    }
                }
                writeNow = !mine.outcome.isDone() && mine.lead.isDone() && !ledOnce;
                ledOnce |= writeNow;
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering", e);
        }
    }

    /**
     * Passes the room to the request at the head of the queue, or frees it when nothing waits. The
     * re-check after freeing closes the race with a request that queued while the flag was still held.
     */
    private static void handOver(Room room) {
        while (true) {
            Pending next = room.queue.peek();
            if (next != null) {
                if (next.lead.complete(null)) {
                    return;
                }
                room.queue.remove(next); // its request gave up waiting: pass it by
                continue;
            }
            room.writing.set(false);
            if (room.queue.isEmpty() || !room.writing.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void writeQueued(Room room) {
        List<Pending> batch = new ArrayList<>();
        Pending p;
        while (batch.size() < MAX_BATCH && (p = room.queue.poll()) != null) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            Map<String, Outcome> byUser = QuarkusTransaction.requiringNew().call(() -> write(room.concertId, batch));
            Map<String, Boolean> handedOut = new HashMap<>();
            for (Pending each : batch) {
                Outcome o = byUser.get(each.userId);
                // a user twice in one batch: the first request created the place, the second finds it
                boolean first = handedOut.putIfAbsent(each.userId, Boolean.TRUE) == null;
                each.outcome.complete(first ? o : new Outcome(o.token(), false, o.seq(), o.lastSeq(), o.servedUpTo()));
            }
        } catch (RuntimeException e) {
            batch.forEach(each -> each.outcome.completeExceptionally(e));
        }
    }

    private Map<String, Outcome> write(long concertId, List<Pending> batch) {
        // the room's arrivals lock, held to commit (the no-op update creates the room on first use); how far the line
        // is served comes from its admission row, which this does not lock: admission rounds go on meanwhile
        Object[] room = (Object[]) em.createNativeQuery("INSERT INTO waiting_room AS r (concert_id, last_seq) VALUES (:concert, 0) "
                        + "ON CONFLICT (concert_id) DO UPDATE SET last_seq = r.last_seq RETURNING r.last_seq, r.pre_queued, "
                        + "(SELECT served_up_to FROM room_admission WHERE concert_id = :concert)")
                .setParameter("concert", concertId)
                .getSingleResult();
        long lastSeq = ((Number) room[0]).longValue();
        long preQueued = ((Number) room[1]).longValue();
        long servedUpTo = room[2] == null ? 0 : ((Number) room[2]).longValue();
        if (lastSeq == 0 && preQueued == 0) {
            rooms.createAdmission(concertId); // nobody registered yet: the room may be new
        }
        // the sale decides under the room lock, on the database clock: refused (the room row's creation rolls
        // back), in the pre-queue, or in line behind the opening (done here if its time has come)
        Sales.AtDatabaseTime sale = saleUnderRoomLock(concertId);
        boolean preQueue = switch (sale.sale().stateAt(sale.now())) {
            case PRE_QUEUE -> true;
            case OPEN -> false;
            default -> throw new IllegalStateException("unreachable");
        };
        // the opening changes the whole line (the pre-queue's places), so it takes the admission lock too
        if (!preQueue && sale.sale().openedAt() == null) {
            rooms.lockAdmission(concertId);
            if (sales.openIfDue(concertId, ShuffleSeeds.next())) {
                Object[] opened = (Object[]) em.createNativeQuery("SELECT w.last_seq, a.served_up_to FROM waiting_room w "
                                + "JOIN room_admission a ON a.concert_id = w.concert_id WHERE w.concert_id = :concert")
                        .setParameter("concert", concertId)
                        .getSingleResult();
                lastSeq = ((Number) opened[0]).longValue();
                servedUpTo = ((Number) opened[1]).longValue();
            }
        }

        List<String> users = batch.stream().map(Pending::userId).distinct().toList();
        Map<String, UUID> live = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> existing = em.createNativeQuery("SELECT user_id, id FROM queue_token "
                        + "WHERE concert_id = :concert AND user_id = ANY(:users) AND status IN ('STANDBY', 'ACTIVE')")
                .setParameter("concert", concertId)
                .setParameter("users", users.toArray(new String[0]))
                .getResultList();
        existing.forEach(r -> live.put((String) r[0], (UUID) r[1]));

        List<String> newUsers = users.stream().filter(u -> !live.containsKey(u)).toList();
        // pre-queue arrivals count down from -1 (provisional: the opening gives them their places)
        long base = preQueue ? -preQueued : lastSeq;
        int step = preQueue ? -1 : 1;
        long newLast = preQueue ? lastSeq : lastSeq + newUsers.size();
        Map<String, Outcome> outcomes = new HashMap<>();
        if (!newUsers.isEmpty()) {
            String[] ids = new String[newUsers.size()];
            for (int i = 0; i < ids.length; i++) {
                UUID id = UUID.randomUUID();
                ids[i] = id.toString();
                outcomes.put(newUsers.get(i), new Outcome(id, true, base + step * (i + 1L), newLast, servedUpTo));
            }
            // one insert for the whole batch; arrival numbers follow the queue order of this replica
            em.createNativeQuery("INSERT INTO queue_token (id, concert_id, user_id, seq, status, registered_at, last_polled_at) "
                            + "SELECT CAST(u.id AS uuid), :concert, u.user_id, :base + :step * u.ord, 'STANDBY', now(), now() "
                            + "FROM unnest(CAST(:ids AS text[]), CAST(:users AS text[])) WITH ORDINALITY AS u(id, user_id, ord)")
                    .setParameter("concert", concertId)
                    .setParameter("base", base)
                    .setParameter("step", step)
                    .setParameter("ids", ids)
                    .setParameter("users", newUsers.toArray(new String[0]))
                    .executeUpdate();
            em.createNativeQuery(preQueue
                            ? "UPDATE waiting_room SET pre_queued = pre_queued + :n WHERE concert_id = :concert"
                            : "UPDATE waiting_room SET last_seq = last_seq + :n WHERE concert_id = :concert")
                    .setParameter("n", newUsers.size())
                    .setParameter("concert", concertId)
                    .executeUpdate();
        }
        long served = servedUpTo;
        live.forEach((user, id) -> outcomes.put(user, new Outcome(id, false, 0, newLast, served)));
        return outcomes;
    }

    /** The sale as it stands now on the database clock, if it takes registrations (pre-queue or open); else refused. */
    private Sales.AtDatabaseTime saleUnderRoomLock(long concertId) {
        Sales.AtDatabaseTime found = sales.find(concertId, false).orElseThrow(() -> new SaleNotFoundException(concertId));
        found.sale().requireRegistrableAt(found.now());
        return found;
    }
}
