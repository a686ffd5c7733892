package io.concertticket.gateway.infrastructure;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The permits of one replica, with a real Vert.x for the waits' timers and contexts. */
class ConnectionPermitsTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<String> granted = new CopyOnWriteArrayList<>();
    private final List<ConnectionPermits.Permit> permits = new CopyOnWriteArrayList<>();
    private final List<Exception> refused = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private void ask(ConnectionPermits p, String who) {
        p.acquire(permit -> {
            granted.add(who);
            permits.add(permit);
        }, refused::add);
    }

    @Test
    void asManyAsTheLimitAtOnceThenTheOthersInTheOrderTheyCame() {
        ConnectionPermits p = new ConnectionPermits(vertx, 2, 10, 60_000, "queue-service");
        for (String who : List.of("a", "b", "c", "d", "e")) {
            ask(p, who);
        }
        assertThat(granted).containsExactly("a", "b");
        assertThat(p.inUse()).isEqualTo(2);
        assertThat(p.waiting()).isEqualTo(3);

        permits.get(0).release();
        await().until(() -> granted.size() == 3);
        permits.get(1).release();
        await().until(() -> granted.size() == 4);
        permits.get(2).release();
        await().until(() -> granted.size() == 5);
        assertThat(granted).containsExactly("a", "b", "c", "d", "e");
        assertThat(p.inUse()).isEqualTo(2);
        assertThat(p.waiting()).isZero();
        assertThat(refused).isEmpty();
    }

    @Test
    void releasingTwiceFreesOnePlace() {
        ConnectionPermits p = new ConnectionPermits(vertx, 1, 10, 60_000, "queue-service");
        ask(p, "a");
        permits.get(0).release();
        permits.get(0).release();
        assertThat(p.inUse()).isZero();
        ask(p, "b");
        ask(p, "c");
        assertThat(granted).containsExactly("a", "b");
        assertThat(p.inUse()).isEqualTo(1);
        assertThat(p.waiting()).isEqualTo(1);
    }

    @Test
    void aWaitThatRunsOutIsRefusedAndLeavesTheLineAndAFullLineRefusesAtOnce() {
        ConnectionPermits p = new ConnectionPermits(vertx, 1, 1, 100, "queue-service");
        ask(p, "a");
        ask(p, "b");      // waits
        ask(p, "c");      // the line (one place) is full
        assertThat(refused).singleElement().isInstanceOf(ConnectionPermits.ReplicaBusy.class)
                .extracting(Exception::getMessage).asString().contains("1 requests already wait for a connection to queue-service");

        await().until(() -> refused.size() == 2);
        assertThat(refused.get(1)).isInstanceOf(ConnectionPermits.ReplicaBusy.class)
                .extracting(Exception::getMessage).asString().contains("stayed busy for 100 ms");
        assertThat(p.waiting()).isZero();
        // the place the timed-out waiter had is not given to it later: the next release frees the permit
        permits.get(0).release();
        assertThat(p.inUse()).isZero();
        assertThat(granted).containsExactly("a");
    }
}
