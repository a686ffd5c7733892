package io.concertticket.queue.application;

import io.concertticket.queue.domain.Sale;
import io.concertticket.queue.domain.SalePace;
import io.concertticket.queue.domain.TokenSnapshot;
import io.concertticket.queue.domain.TokenStatus;
import io.concertticket.queue.domain.WaitAdvice;
import io.concertticket.queue.domain.WaitingLine;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * Turns a token into what its owner sees (callers check the owner first), from memory only: the read
 * model holds the token and its room's counters, the signer caches each access token.
 */
@ApplicationScoped
public class TokenViews {

    private final QueueMemory readModel;
    private final KnownSales catalogue;
    private final AccessTokens signer;
    private final UseCaseSettings config;
    private final SalePaces sales;

    TokenViews(QueueMemory readModel, KnownSales catalogue, AccessTokens signer, UseCaseSettings config, SalePaces sales) {
        this.readModel = readModel;
        this.catalogue = catalogue;
        this.signer = signer;
        this.config = config;
        this.sales = sales;
    }

    public TokenView viewOf(TokenSnapshot t) {
        Instant now = Instant.now();
        TokenStatus status = t.statusAt(now);
        return switch (status) {
            case STANDBY -> t.inPreQueue() ? preQueued(t, now) : waiting(t);
            case ACTIVE -> new TokenView(t.id(), t.concertId(), status, 0, 0,
                    clamp(Duration.between(now, t.expiresAt()).toSeconds()), signer.accessTokenFor(t), t.expiresAt(), null, null, null, null);
            case EXPIRED -> new TokenView(t.id(), t.concertId(), status, 0, 0, null, null, null, t.expiryReasonAt(now), null, null, null);
        };
    }

    /** No place before the opening: the wait is at least until then, and the poll comes back by then. */
    private TokenView preQueued(TokenSnapshot t, Instant now) {
        Instant opensAt = catalogue.inMemory(t.concertId()).map(Sale::opensAt).orElse(now);
        long untilOpening = Math.max(0, Duration.between(now, opensAt).toSeconds());
        return new TokenView(t.id(), t.concertId(), TokenStatus.STANDBY, 0, untilOpening, clamp(untilOpening), null, null, null,
                false, null, opensAt);
    }

    private TokenView waiting(TokenSnapshot t) {
        // the controls before the line: the read model shows a refresh's lines before its controls, so a pause
        // read here comes with a line that has every round committed before it (never a place from before one)
        SalePace pace = sales.pace(t.concertId());
        WaitingLine line = readModel.line(t.concertId());
        // the read model reloads a token its room says has left; should both views still disagree for an
        // instant, the token is at the very front rather than at a nonsensical position
        long position = line.hasLeft(t.seq()) ? 1 : line.positionOf(t.seq());
        WaitAdvice advice = WaitAdvice.forPosition(position, pace.controls().batchSize(), pace.controls().tick(), pace.placesPerSecond(),
                pace.stillSeconds(), config.poll().minPollAfter(), config.poll().maxPollAfter());
        return new TokenView(t.id(), t.concertId(), TokenStatus.STANDBY, position,
                advice.waitTimeKnown() ? advice.estimatedWaitSeconds() : 0, advice.pollAfterSeconds(), null, null, null,
                advice.waitTimeKnown(), pace.controls().admission(), null);
    }

    private long clamp(long seconds) {
        return Math.max(config.poll().minPollAfter().toSeconds(), Math.min(config.poll().maxPollAfter().toSeconds(), seconds));
    }
}
