package io.concertticket.gateway.infrastructure;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class FileDescriptorBudgetTest {

    @Test
    void fitsWhenClientConnectionsPoolsAndReserveStayUnderTheLimit() {
        assertThat(FileDescriptorBudget.verdict(20_000, OptionalInt.of(10_000), 3 * 256)).isNull();
    }

    @Test
    void namesTheLargestClientLimitThatFitsWhenItDoesNot() {
        assertThat(FileDescriptorBudget.verdict(4_096, OptionalInt.of(10_000), 3 * 256))
                .contains("4096").contains("GATEWAY_MAX_CONNECTIONS").contains("at most " + (4_096 - 768 - FileDescriptorBudget.RESERVE));
    }

    @Test
    void warnsWhenClientConnectionsAreNotLimited() {
        assertThat(FileDescriptorBudget.verdict(1_048_576, OptionalInt.empty(), 768)).contains("not limited");
    }
}
