package io.concertticket.payment;

import io.concertticket.infra.testing.RealInfrastructureResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = RealInfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "payment"))
class ChargeConcurrencyTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    DataSource ds;

    @Test
    void aThousandConcurrentChargesOfOnePointAddExactlyAThousand() throws Exception {
        String user = TestSupport.newUserId();
        TestSupport.charge(base.toString(), user, 5, null); // an existing wallet, like most

        String token = TestSupport.walletToken(user); // minted up front: the race measures the service
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tasks.add(() -> TestSupport.charge(base.toString(), token, user, 1, null).status());
        }
        long started = System.nanoTime();
        List<Integer> statuses = TestSupport.race(200, tasks);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("1000 concurrent charges to one wallet: %d ms (%.0f/s)%n", millis, 1000_000.0 / millis);

        assertThat(statuses).as("statuses").allMatch(s -> s == 200);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(1005);
        assertThat(TestSupport.queryLong(ds, "SELECT count(*) FROM point_history WHERE user_id = ? AND type = 'CHARGE'", user))
                .isEqualTo(1001);
        // every intermediate balance appears exactly once: each charge saw the previous one
        assertThat(TestSupport.queryLong(ds, "SELECT count(DISTINCT balance_after) FROM point_history WHERE user_id = ?", user))
                .isEqualTo(1001);
    }

    @Test
    void concurrentChargesToANewWalletAllCount() throws Exception {
        String user = TestSupport.newUserId();
        String token = TestSupport.walletToken(user);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tasks.add(() -> TestSupport.charge(base.toString(), token, user, 3, null).status());
        }
        assertThat(TestSupport.race(200, tasks)).allMatch(s -> s == 200);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(600);
    }

    @Test
    void aHundredConcurrentRetriesWithOneIdempotencyKeyChargeOnceAndAllSeeTheSameResult() throws Exception {
        String user = TestSupport.newUserId();
        String token = TestSupport.walletToken(user);
        List<Callable<TestSupport.Reply>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tasks.add(() -> TestSupport.charge(base.toString(), token, user, 250, "charge-once"));
        }
        List<TestSupport.Reply> replies = TestSupport.race(100, tasks);
        assertThat(replies).allMatch(r -> r.status() == 200);
        assertThat(replies.stream().map(r -> r.json().get("balance").asLong()).collect(Collectors.toSet())).containsExactly(250L);
        assertThat(replies.stream().filter(r -> r.headers().containsKey("idempotent-replayed")).count()).isEqualTo(99);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(250);
        assertThat(TestSupport.queryLong(ds, "SELECT count(*) FROM point_history WHERE user_id = ?", user)).isEqualTo(1);
    }

    @Test
    void concurrentChargesNeverPushTheBalanceAboveTheMaximum() throws Exception {
        String user = TestSupport.newUserId();
        // max-balance in the test profile is 2,000,000: exactly 4 of these 20 fit
        String token = TestSupport.walletToken(user);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(() -> TestSupport.charge(base.toString(), token, user, 500_000, null).status());
        }
        List<Integer> statuses = TestSupport.race(20, tasks);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(4);
        assertThat(statuses.stream().filter(s -> s == 400).count()).isEqualTo(16);
        assertThat(TestSupport.balance(ds, user)).isEqualTo(2_000_000);
    }
}
