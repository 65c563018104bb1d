package org.sallyport.broker.cli.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A scripted stand-in for the broker's REST API: canned answers per "METHOD /path" (shaped as in openapi.yaml), and
 * a record of every exchange. Unscripted calls get a 404 problem, as the real router answers.
 */
final class FakeBroker implements AutoCloseable {
    record Exchange(String method, String path, String query, String authorization, String contentType, String body) {}

    private record Answer(int status, String contentType, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private FakeBroker(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeBroker start() throws IOException {
        return new FakeBroker(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    static FakeBroker startTls(SSLContext ssl) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ssl));
        return new FakeBroker(s);
    }

    String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeBroker json(String method, String path, int status, String body) {
        answers.put(method + " " + path, new Answer(status, "application/json", body));
        return this;
    }

    FakeBroker problem(String method, String path, int status, String title, String detail, String field) {
        String body = "{\"type\":\"https://sallyport.org/problems/" + title.toLowerCase().replace(' ', '-') + "\",\"title\":\""
                + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\""
                + (field == null ? "" : ",\"field\":\"" + field + "\"") + "}";
        answers.put(method + " " + path, new Answer(status, "application/problem+json", body));
        return this;
    }

    Exchange last() {
        return exchanges.getLast();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getRawPath();
        exchanges.add(new Exchange(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"), body));
        Answer a = answers.getOrDefault(ex.getRequestMethod() + " " + path, new Answer(404, "application/problem+json",
                "{\"type\":\"https://sallyport.org/problems/not-found\",\"title\":\"Not found\",\"status\":404,"
                        + "\"detail\":\"no such endpoint: " + ex.getRequestMethod() + " " + path + "\"}"));
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) ex.getResponseBody().write(out);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
