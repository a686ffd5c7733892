package io.concertticket.problem;

import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import static org.assertj.core.api.Assertions.assertThat;

class ClientWentAwayTest {

    @Test
    void aClosedChannelUnderTheBodyReaderIsTheClientLeavingNotAServerError() {
        assertThat(CommonProblemMappers.clientWentAway(new IOException(new ClosedChannelException()))).isTrue();
        assertThat(CommonProblemMappers.clientWentAway(new IOException("java.nio.channels.ClosedChannelException"))).isTrue();
        assertThat(CommonProblemMappers.clientWentAway(new RuntimeException(new IOException("Connection reset by peer")))).isTrue();
        assertThat(CommonProblemMappers.clientWentAway(new IOException(new IOException(new HttpClosedException("Connection was closed"))))).isTrue();
    }

    @Test
    void otherFailuresStayErrors() {
        assertThat(CommonProblemMappers.clientWentAway(new IOException("No space left on device"))).isFalse();
        assertThat(CommonProblemMappers.clientWentAway(new IllegalStateException("bug"))).isFalse();
    }
}
