package io.concertticket.problem;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The exceptions the services' connection pool (Agroal, as Quarkus runs it) really throws when it has no connection
 * to give within its acquisition timeout, in its two ways: every connection is in use, or the pool is still growing
 * and the new connection is not made in time (it makes them one after the other, so a burst that finds the pool
 * small waits for that). Both are a busy database, a 503, never a 500: the second one once was (its message starts
 * with a capital letter, which the check did not expect), and queue-service answered a burst of registrations with
 * 500s. The services' {@code PoolRunDryTest}s show the 503 end to end on their real databases.
 */
class PoolAcquisitionTimeoutTest {

    /**
     * Long enough for the first connection of a cold pool on a loaded build machine (300 ms was not: the connection
     * the first test holds timed out there); each test waits it out once.
     */
    private static final Duration ACQUISITION_TIMEOUT = Duration.ofSeconds(3);

    private AgroalDataSource pool;

    @AfterEach
    void close() {
        StubDriver.connecting = new CountDownLatch(0);
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void everyConnectionInUseIsABusyDatabase() throws Exception {
        pool = pool(1);
        try (Connection held = pool.getConnection()) {
            SQLException e = catchThrowableOfType(SQLException.class, pool::getConnection);
            assertThat((Throwable) e).as("no connection while the only one is held").isNotNull();
            assertThat(CommonProblemMappers.databaseUnavailable(asHibernateThrowsIt(e))).as(e.getMessage()).isTrue();
        }
    }

    @Test
    void aNewConnectionNotMadeInTimeIsABusyDatabase() throws Exception {
        pool = pool(2);
        StubDriver.connecting = new CountDownLatch(1); // the database lets nobody in for now
        SQLException e = catchThrowableOfType(SQLException.class, pool::getConnection);
        assertThat((Throwable) e).as("no connection while none can be made").isNotNull();
        assertThat(CommonProblemMappers.databaseUnavailable(asHibernateThrowsIt(e))).as(e.getMessage()).isTrue();
    }

    private static RuntimeException asHibernateThrowsIt(SQLException e) {
        return new RuntimeException("Unable to acquire JDBC Connection", e);
    }

    private static AgroalDataSource pool(int maxSize) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(maxSize).acquisitionTimeout(ACQUISITION_TIMEOUT)
                        .connectionFactoryConfiguration(factory -> factory.connectionProviderClass(StubDriver.class)
                                .jdbcUrl("jdbc:stub:"))));
    }

    /** A driver whose connections do nothing, and which can be made to let nobody in for a while. */
    public static final class StubDriver implements Driver {

        static volatile CountDownLatch connecting = new CountDownLatch(0);

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            try {
                connecting.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while connecting", e);
            }
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "toString" -> "stub connection";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "isValid" -> true;
                        default -> method.getReturnType() == boolean.class ? Boolean.FALSE
                                : method.getReturnType() == int.class ? 0 : null;
                    });
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:stub:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }
}
