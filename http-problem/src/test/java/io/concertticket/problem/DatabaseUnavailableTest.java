package io.concertticket.problem;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseUnavailableTest {

    @Test
    void poolAcquisitionTimeoutDeepInTheCauseChainIsUnavailability() {
        Exception e = new RuntimeException("Unable to acquire JDBC Connection",
                new SQLException("Sorry, acquisition timeout!"));
        assertThat(CommonProblemMappers.databaseUnavailable(e)).isTrue();
    }

    @Test
    void connectionExceptionSqlStateIsUnavailability() {
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("refused", "08001"))).isTrue();
    }

    @Test
    void theSessionLimitsOfTheServicesArePassingUnavailability() {
        Exception lockTimeout = new RuntimeException("could not execute statement",
                new SQLException("canceling statement due to lock timeout", "55P03"));
        assertThat(CommonProblemMappers.databaseUnavailable(lockTimeout)).isTrue();
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("canceling statement due to statement timeout", "57014"))).isTrue();
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("idle-in-transaction timeout", "25P03"))).isTrue();
    }

    @Test
    void aServerShuttingDownFullOrRefusingConnectionsIsUnavailability() {
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("sorry, too many clients already", "53300"))).isTrue();
        assertThat(CommonProblemMappers.databaseUnavailable(new RuntimeException("Unable to acquire JDBC Connection",
                new SQLException("FATAL: database \"payment\" is not currently accepting connections", "55000")))).isTrue();
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("some other prerequisite", "55000"))).isFalse();
    }

    @Test
    void constraintViolationsAndOtherBugsAreNot() {
        assertThat(CommonProblemMappers.databaseUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(CommonProblemMappers.databaseUnavailable(new IllegalStateException("bug"))).isFalse();
    }
}
