package org.sallyport.broker.cli.client;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sallyport.broker.httpproxy.HttpProxyHandler;

/**
 * The vendor's end of an HTTP session, like {@code boundary connect http}: a listener on 127.0.0.1 that the
 * browser uses as if it were the camera (so the camera UI's absolute paths, cookies and WebSockets work unmodified),
 * tunnelling every request and WebSocket to the broker with the session's ticket added. The tunnel itself decides
 * nothing; the broker checks, filters and records.
 *
 * <p>Security guarantees: listens on loopback only; answers only requests addressed to {@code 127.0.0.1:PORT} or
 * {@code localhost:PORT} (no DNS rebinding); a ticket header sent by the browser is replaced, never passed.
 * Restrictions: one target per listener (the camera's origin is the listener's); while it runs, any local
 * process, or a page in the vendor's browser that posts to this origin, acts within the session (as with
 * {@code boundary connect}), and everything it does is filtered and recorded like the vendor's own requests.
 */
public final class HttpTunnel implements AutoCloseable {
    private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
            "upgrade", "host", "content-length");

    private final Vertx vertx;
    private final URI broker;
    private final String ticket;
    private final HttpClient client;
    private final WebSocketClient ws;
    private final Consumer<String> onSessionGone;
    private HttpServer server;

    /**
     * @param caFile PEM CA for an https broker, or null
     * @param onSessionGone called (once per response) when the broker says the session no longer exists
     */
    public HttpTunnel(URI broker, Path caFile, String ticket, Consumer<String> onSessionGone) {
        this.vertx = Vertx.vertx();
        this.broker = broker;
        this.ticket = ticket;
        this.onSessionGone = onSessionGone;
        boolean tls = broker.getScheme().equals("https");
        HttpClientOptions o = new HttpClientOptions().setSsl(tls).setKeepAlive(true).setDecompressionSupported(false);
        WebSocketClientOptions wo = new WebSocketClientOptions().setSsl(tls);
        if (tls && caFile != null) {
            o.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
            wo.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
        }
        this.client = vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(16));
        this.ws = vertx.createWebSocketClient(wo);
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port); returns the bound port. */
    public int start(int port) {
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)).requestHandler(this::handle)
                    .listen().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new UnusableInputException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return server.actualPort();
    }

    private int brokerPort() {
        return broker.getPort() > 0 ? broker.getPort() : broker.getScheme().equals("https") ? 443 : 80;
    }

    private MultiMap headers(HttpServerRequest req) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        req.headers().forEach((k, v) -> {
            String l = k.toLowerCase(Locale.ROOT);
            if (!HOP.contains(l) && !l.startsWith("x-sallyport-")) h.add(k, v);
        });
        h.set(HttpProxyHandler.TICKET_HEADER, ticket);
        return h;
    }

    private void handle(HttpServerRequest req) {
        String host = req.getHeader("Host");
        int port = server.actualPort();
        if (host == null || !(host.equalsIgnoreCase("127.0.0.1:" + port) || host.equalsIgnoreCase("localhost:" + port))) {
            // DNS rebinding: a page from elsewhere that resolves its name to 127.0.0.1 must not ride this session.
            req.response().setStatusCode(421).putHeader("Content-Type", "text/plain")
                    .end("sallyport: use http://127.0.0.1:" + port + "/ (Host " + host + " is not this tunnel)\n");
            return;
        }
        if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            webSocket(req);
            return;
        }
        req.pause();
        MultiMap h = headers(req);
        if (req.getHeader("Content-Length") != null) h.set("Content-Length", req.getHeader("Content-Length"));
        RequestOptions o = new RequestOptions().setMethod(req.method()).setHost(broker.getHost()).setPort(brokerPort())
                .setURI(req.uri()).setHeaders(h);
        client.request(o).onFailure(e -> bad(req, e)).onSuccess(up -> {
            if (req.getHeader("Content-Length") == null && req.method().name().matches("POST|PUT|PATCH")) up.setChunked(true);
            up.response().onFailure(e -> bad(req, e)).onSuccess(resp -> {
                var out = req.response().setStatusCode(resp.statusCode());
                resp.headers().forEach((k, v) -> {
                    if (!HOP.contains(k.toLowerCase(Locale.ROOT))) out.headers().add(k, v);
                });
                if (resp.getHeader("Content-Length") != null) out.putHeader("Content-Length", resp.getHeader("Content-Length"));
                else out.setChunked(true);
                if (HttpProxyHandler.RULE_NO_SESSION.equals(resp.getHeader(HttpProxyHandler.RULE_HEADER))) onSessionGone.accept("no-session");
                resp.pipeTo(out);
            });
            req.pipeTo(up);
        });
    }

    private void webSocket(HttpServerRequest req) {
        req.pause();
        MultiMap h = headers(req);
        h.remove("Sec-WebSocket-Key");
        h.remove("Sec-WebSocket-Version");
        h.remove("Sec-WebSocket-Extensions");
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(broker.getHost()).setPort(brokerPort()).setURI(req.uri()).setHeaders(h)
                .setSsl(broker.getScheme().equals("https"));
        ws.connect(o).onFailure(e -> bad(req, e)).onSuccess(up -> req.toWebSocket().onFailure(e -> up.close()).onSuccess(down -> {
            down.textMessageHandler(up::writeTextMessage);
            down.binaryMessageHandler(up::writeBinaryMessage);
            up.textMessageHandler(down::writeTextMessage);
            up.binaryMessageHandler(down::writeBinaryMessage);
            down.closeHandler(v -> up.close());
            up.closeHandler(v -> down.close(up.closeStatusCode() == null ? (short) 1000 : up.closeStatusCode(),
                    up.closeReason()));
        }));
    }

    private static void bad(HttpServerRequest req, Throwable e) {
        req.resume();
        if (!req.response().ended()) {
            req.response().setStatusCode(502).putHeader("Content-Type", "text/plain").end("sallyport: broker unreachable: " + e.getMessage() + "\n");
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing at exit: nothing left to do
        }
    }
}
