package io.concertticket.concert.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * When a concert's tickets are sold: admission through the waiting room from {@code opensAt} until
 * {@code closesAt} (null: until an operator sets a closing time), and, with the pre-queue on, waiting
 * from {@code preQueueLead} before the opening (those early arrivals are shuffled at the opening).
 */
public record SaleWindow(Instant opensAt, Instant closesAt, boolean preQueueEnabled, Duration preQueueLead) {

    /** The lead of a pre-queue switched on without saying how long before the opening it starts. */
    public static final Duration DEFAULT_PRE_QUEUE_LEAD = Duration.ofMinutes(30);
    public static final Duration MAX_PRE_QUEUE_LEAD = Duration.ofDays(7);

    public SaleWindow {
        if (opensAt == null) {
            throw new InvalidSaleWindowException("saleOpensAt", "A sale needs an opening time.");
        }
        if (closesAt != null && !closesAt.isAfter(opensAt)) {
            throw new InvalidSaleWindowException("saleClosesAt", "saleClosesAt must be after saleOpensAt.");
        }
        if (preQueueLead == null) {
            preQueueLead = preQueueEnabled ? DEFAULT_PRE_QUEUE_LEAD : Duration.ZERO;
        }
        if (preQueueLead.isNegative() || preQueueLead.compareTo(MAX_PRE_QUEUE_LEAD) > 0) {
            throw new InvalidSaleWindowException("preQueueLeadSeconds", "preQueueLeadSeconds must be between 0 and "
                    + MAX_PRE_QUEUE_LEAD.toSeconds() + ".");
        }
        if (preQueueEnabled && preQueueLead.isZero()) {
            throw new InvalidSaleWindowException("preQueueLeadSeconds", "A pre-queue needs preQueueLeadSeconds above 0.");
        }
    }

    /**
     * The operator's optional fields with their defaults: the sale opens {@code now} and never closes on
     * its own, without a pre-queue (30 minutes of pre-queue when switched on without a lead).
     */
    public static SaleWindow of(Instant opensAt, Instant closesAt, Boolean preQueueEnabled, Long preQueueLeadSeconds, Instant now) {
        return new SaleWindow(opensAt == null ? now : opensAt, closesAt, Boolean.TRUE.equals(preQueueEnabled),
                preQueueLeadSeconds == null ? null : Duration.ofSeconds(preQueueLeadSeconds));
    }
}
