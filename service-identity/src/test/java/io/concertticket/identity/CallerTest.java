package io.concertticket.identity;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {

    @Test
    void a_caller_admitted_to_a_concert_may_act_in_that_concert_only() {
        Caller caller = new Caller("acc-1", Set.of(), 7L, UUID.randomUUID());

        caller.requireAdmissionTo(7);
        assertThatThrownBy(() -> caller.requireAdmissionTo(8))
                .isInstanceOf(Caller.AdmissionForOtherConcertException.class)
                .hasMessageContaining("concert 7").hasMessageContaining("concert 8");
    }

    @Test
    void a_caller_without_admission_is_refused_on_sale_routes() {
        Caller caller = new Caller("acc-1", Set.of(), null, null);

        assertThat(caller.hasAdmission()).isFalse();
        assertThatThrownBy(() -> caller.requireAdmissionTo(7)).isInstanceOf(Caller.AdmissionRequiredException.class);
    }

    @Test
    void only_the_operator_role_makes_an_operator() {
        assertThat(new Caller("op", Set.of("operator"), null, null).isOperator()).isTrue();
        assertThat(new Caller("b", Set.of("buyer"), null, null).isOperator()).isFalse();
    }
}
