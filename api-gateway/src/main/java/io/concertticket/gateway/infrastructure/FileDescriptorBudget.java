package io.concertticket.gateway.infrastructure;

import com.sun.management.UnixOperatingSystemMXBean;
import io.concertticket.gateway.domain.Upstream;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalInt;

/**
 * Says at start whether the gateway's connections fit under the process's file-descriptor limit: the client
 * connections it accepts ({@code GATEWAY_MAX_CONNECTIONS}) plus a full pool to every service replica, plus a
 * reserve for everything else (Kafka, signing keys, logs). If they do not, a surge that fills the one leaves
 * no descriptor for the other, and the gateway stops reaching the services while looking alive.
 */
@ApplicationScoped
class FileDescriptorBudget {

    private static final Logger LOG = Logger.getLogger(FileDescriptorBudget.class);
    /** Descriptors for what is not a proxied connection: the JVM's own files, Kafka, internal calls, management. */
    static final int RESERVE = 512;

    void check(@Observes StartupEvent started, UpstreamClients upstreams, GatewayConfig config, Config properties) {
        // Quarkus' own key, documented as GATEWAY_MAX_CONNECTIONS (application.properties)
        OptionalInt maxClientConnections = properties.getOptionalValue("quarkus.http.limits.max-connections", Integer.class)
                .map(OptionalInt::of).orElse(OptionalInt.empty());
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return;
        }
        long limit = unix.getMaxFileDescriptorCount();
        int replicas = 0;
        for (Upstream upstream : Upstream.values()) {
            replicas += upstreams.replicas(upstream).size();
        }
        long upstreamConnections = (long) replicas * config.proxy().maxConnectionsPerService();
        String verdict = verdict(limit, maxClientConnections, upstreamConnections);
        if (verdict == null) {
            LOG.infof("file descriptors: limit %d; up to %d client connections (GATEWAY_MAX_CONNECTIONS) + %d to %d service replicas + %d reserve",
                    limit, maxClientConnections.getAsInt(), upstreamConnections, replicas, RESERVE);
        } else {
            LOG.warn(verdict);
        }
    }

    /** Null when the budget fits; otherwise what does not fit and what to change. */
    static String verdict(long limit, OptionalInt maxClientConnections, long upstreamConnections) {
        if (maxClientConnections.isEmpty()) {
            return "file descriptors: client connections are not limited (GATEWAY_MAX_CONNECTIONS unset): a surge can take all "
                    + limit + " descriptors and leave none for the " + upstreamConnections + " connections to the services";
        }
        long needed = maxClientConnections.getAsInt() + upstreamConnections + RESERVE;
        if (needed > limit) {
            return "file descriptors: the process may open " + limit + ", but " + maxClientConnections.getAsInt()
                    + " client connections (GATEWAY_MAX_CONNECTIONS) + " + upstreamConnections + " to the services + "
                    + RESERVE + " reserve need " + needed + ": lower GATEWAY_MAX_CONNECTIONS to at most "
                    + Math.max(0, limit - upstreamConnections - RESERVE) + " or raise the limit (ulimit -n, the container's nofile)";
        }
        return null;
    }
}
