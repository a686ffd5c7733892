package io.concertticket.load.ceilings;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;

/**
 * The baseline for "the gateway costs little more than a reverse proxy": the same vertx-http-proxy
 * the gateway is built on, with nothing else (no routing table, token check, rate limit, header
 * rewriting). One verticle per event loop, as many event loops as Quarkus gives the gateway
 * (2 × cores), and the gateway's pool size per service (256).
 *
 * <pre>java -Xmx512m -cp 'ceilings.jar:lib/*' io.concertticket.load.ceilings.BareProxy 18080 127.0.0.1 8081</pre>
 */
public final class BareProxy extends AbstractVerticle {

    public static final String READY = "BARE PROXY READY";

    private final int port;
    private final String originHost;
    private final int originPort;

    BareProxy(int port, String originHost, int originPort) {
        this.port = port;
        this.originHost = originHost;
        this.originPort = originPort;
    }

    @Override
    public void start(Promise<Void> started) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(256));
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(originPort, originHost);
        vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
                .requestHandler(proxy)
                .listen()
                .<Void>mapEmpty()
                .onComplete(started);
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: BareProxy <listen-port> <origin-host> <origin-port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String host = args[1];
        int originPort = Integer.parseInt(args[2]);
        int eventLoops = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        vertx.deployVerticle(() -> new BareProxy(port, host, originPort), new DeploymentOptions().setInstances(eventLoops))
                .onSuccess(id -> System.out.println(READY + " on 127.0.0.1:" + port + " → " + host + ":" + originPort
                        + " (" + eventLoops + " event loops)"))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
