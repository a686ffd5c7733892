package io.concertticket.gateway.domain;

/** The services behind the gateway. */
public enum Upstream {
    QUEUE("queue-service"),
    CONCERT("concert-service"),
    PAYMENT("payment-service");

    private final String serviceName;

    Upstream(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}
