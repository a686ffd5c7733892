package io.concertticket.payment.api;

import io.concertticket.payment.application.ChargeReceipt;
import io.concertticket.payment.application.PaymentReceipt;
import io.concertticket.payment.application.ReadWallet;
import io.concertticket.payment.domain.PointChangeType;
import io.concertticket.payment.domain.PointHistoryEntry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public final class Responses {

    private Responses() {
    }

    public record BalanceResponse(String userId, long balance) {
    }

    public record ChargeResponse(String userId, long charged, long balance) {
        static ChargeResponse of(ChargeReceipt r) {
            return new ChargeResponse(r.userId(), r.charged(), r.balance());
        }
    }

    public record PaymentResponse(UUID paymentId, long reservationId, long amount, long balance, String status) {
        static PaymentResponse of(PaymentReceipt r) {
            return new PaymentResponse(r.paymentId(), r.reservationId(), r.amount(), r.balance(), r.status());
        }
    }

    public record HistoryEntry(long id, PointChangeType type, long amount, long balanceAfter, Long reservationId,
                               UUID paymentId, Instant createdAt) {
        static HistoryEntry of(PointHistoryEntry e) {
            return new HistoryEntry(e.id(), e.type(), e.amount(), e.balanceAfter(), e.reservationId(), e.paymentId(),
                    e.createdAt());
        }
    }

    public record HistoryResponse(String userId, int page, int size, long totalEntries, List<HistoryEntry> entries) {
        static HistoryResponse of(ReadWallet.HistoryPage p) {
            return new HistoryResponse(p.userId(), p.page(), p.size(), p.totalEntries(),
                    p.entries().stream().map(HistoryEntry::of).toList());
        }
    }
}
