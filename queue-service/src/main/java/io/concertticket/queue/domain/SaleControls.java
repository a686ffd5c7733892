package io.concertticket.queue.domain;

import java.time.Duration;

/**
 * The live controls of one sale's admission, as operators set them: whether it admits, its pace (batch
 * size per tick, tick, cap on concurrently active users; 0 = no cap). Immutable: each operator action returns
 * the controls after it, or refuses an action that does not apply. (Closing ends the sale itself: {@link Sale#closedAt()}.)
 */
public record SaleControls(AdmissionState admission, int batchSize, Duration tick, int maxActive) {

    public static final int MAX_BATCH_SIZE = 10_000;
    public static final Duration MIN_TICK = Duration.ofSeconds(1);
    public static final Duration MAX_TICK = Duration.ofMinutes(10);
    public static final int MAX_ACTIVE_CAP = 1_000_000;

    public SaleControls {
        if (admission == null || tick == null || batchSize < 1 || tick.isNegative() || tick.isZero() || maxActive < 0) {
            throw new IllegalArgumentException("invalid sale controls");
        }
    }

    public boolean admits() {
        return admission == AdmissionState.RUNNING;
    }

    public AdmissionPolicy policy() {
        return new AdmissionPolicy(batchSize, maxActive);
    }

    public SaleControls pause() {
        if (admission != AdmissionState.RUNNING) {
            throw new ControlNotApplicableException("pause", "admission is " + admission + ", not RUNNING");
        }
        return withAdmission(AdmissionState.PAUSED);
    }

    public SaleControls resume() {
        if (admission == AdmissionState.RUNNING) {
            throw new ControlNotApplicableException("resume", "admission is already RUNNING");
        }
        return withAdmission(AdmissionState.RUNNING);
    }

    public SaleControls queueEveryone() {
        if (admission == AdmissionState.STOPPED) {
            throw new ControlNotApplicableException("queue-everyone", "admission is already STOPPED");
        }
        return withAdmission(AdmissionState.STOPPED);
    }

    /**
     * A new pace; a null argument keeps that value. Values out of range are refused naming the field.
     *
     * @param tickSeconds whole seconds between two batches
     */
    public SaleControls withPace(Long newBatchSize, Long tickSeconds, Long newMaxActive) {
        if (newBatchSize == null && tickSeconds == null && newMaxActive == null) {
            throw new InvalidQueueRequestException("body", "Give at least one of batchSize, tickSeconds, maxActive.");
        }
        if (newBatchSize != null && (newBatchSize < 1 || newBatchSize > MAX_BATCH_SIZE)) {
            throw new InvalidQueueRequestException("batchSize", "batchSize must be between 1 and " + MAX_BATCH_SIZE + ".");
        }
        if (tickSeconds != null && (tickSeconds < MIN_TICK.toSeconds() || tickSeconds > MAX_TICK.toSeconds())) {
            throw new InvalidQueueRequestException("tickSeconds",
                    "tickSeconds must be between " + MIN_TICK.toSeconds() + " and " + MAX_TICK.toSeconds() + ".");
        }
        if (newMaxActive != null && (newMaxActive < 0 || newMaxActive > MAX_ACTIVE_CAP)) {
            throw new InvalidQueueRequestException("maxActive", "maxActive must be between 0 (no cap) and " + MAX_ACTIVE_CAP + ".");
        }
        return new SaleControls(admission,
                newBatchSize == null ? batchSize : newBatchSize.intValue(),
                tickSeconds == null ? tick : Duration.ofSeconds(tickSeconds),
                newMaxActive == null ? maxActive : newMaxActive.intValue());
    }

    private SaleControls withAdmission(AdmissionState next) {
        return new SaleControls(next, batchSize, tick, maxActive);
    }
}
