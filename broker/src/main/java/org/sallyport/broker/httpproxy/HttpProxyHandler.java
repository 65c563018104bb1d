package org.sallyport.broker.httpproxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.domain.Target;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.recording.Direction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy pipeline for one request that carries a session ticket, in this order (each step a small method, the
 * order fixed here like an interceptor chain): find the live session; read the request body (capped); record the
 * request as received (write-ahead, ticket redacted); refuse absolute-form targets and CONNECT (only the target's web
 * port is ever reached: no RTSP, no other port, no other host); ask the {@link HttpGuard}; strip the browser's
 * credentials and hop-by-hop headers and inject the device's; forward; record each response byte as it arrives,
 * decode its content-coding and feed the guard; and only when the whole body passed, send it to the browser. A
 * blocked response never reaches the browser: it gets a 403 page naming the rule, the attempt is an audit event
 * with the rule id, and the bytes received so far are in the recording.
 *
 * <p>Threading: everything runs on the event loop of the browser's connection; audit writes and session ends go
 * to worker threads. Recording appends only buffer (a full 64 KiB chunk is sealed and written, never fsynced,
 * on the caller's thread, as on the SSH path).
 */
public final class HttpProxyHandler {
    /** The header by which the vendor's tunnel presents its session ticket. */
    public static final String TICKET_HEADER = "X-Sallyport-Ticket";
    /** On a broker-made response: the rule that blocked, or why the session is gone. */
    public static final String RULE_HEADER = "X-Sallyport-Rule";
    public static final String RULE_NO_SESSION = "http.no-session";
    public static final String RULE_ABSOLUTE_URI = "http.other-host-or-port";
    public static final String RULE_REQUEST_TOO_LARGE = "http.request-too-large";
    public static final String RULE_RESPONSE_TOO_LARGE = "http.response-too-large";
    public static final String RULE_ENCODING = "http.uninspectable-encoding";
    public static final String RULE_VOLUME = "http.volume-cap";
    public static final String RULE_DEVICE_AUTH = "device.auth-failed";

    private static final Logger LOG = LoggerFactory.getLogger(HttpProxyHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Never forwarded either way (RFC 9110 7.6.1 plus the credentials the broker owns). */
    private static final Set<String> REQUEST_DROP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authorization",
            "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization", "accept-encoding",
            "content-length", "expect", "http2-settings", TICKET_HEADER.toLowerCase(Locale.ROOT));
    private static final Set<String> RESPONSE_DROP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "te", "trailer", "transfer-encoding", "upgrade", "content-length", "www-authenticate", "authentication-info");
    private static final Pattern SOAP_ACTION_PARAM = Pattern.compile("action=\"?([^\";]+)\"?");
    private static final Pattern SOAP_BODY_ELEMENT = Pattern.compile("<(?:[\\w.-]+:)?Body[^>]*>\\s*<(?:[\\w.-]+:)?([\\w.-]+)");

    private final Vertx vertx;
    private final HttpSessions sessions;
    private final HttpGuard guard;
    private final AuditLog audit;
    private final Clock clock;
    private final HttpProxySettings settings;
    private final HttpClient client;
    private final WebSocketClient wsClient;

    public HttpProxyHandler(Vertx vertx, HttpSessions sessions, HttpGuard guard, AuditLog audit, Clock clock) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
        this.settings = sessions.settings();
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(false)
                .setConnectTimeout(10_000).setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(32));
        this.wsClient = vertx.createWebSocketClient();
    }

    /** True when the request carries a ticket (then this handler owns it). */
    public static boolean isProxied(HttpServerRequest req) {
        return req.headers().contains(TICKET_HEADER);
    }

    /** Entry point for a request carrying {@link #TICKET_HEADER}. */
    public void handle(HttpServerRequest req) {
        HttpSession s = sessions.find(req.getHeader(TICKET_HEADER)).orElse(null);
        if (s == null) {
            req.resume();
            page(req.response(), 403, RULE_NO_SESSION, "There is no live Sallyport HTTP session for this tunnel (it ended, expired or was"
                    + " revoked). Start a new one with: sallyport connect TARGET --http");
            return;
        }
        s.touch(clock.instant());
        Exchange x = new Exchange(s, s.nextExchange(), req);
        if ("websocket".equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
            new WebSocketRelay(this, x).start();
            return;
        }
        x.readRequest();
    }

    HttpSessions sessions() {
        return sessions;
    }

    HttpGuard guard() {
        return guard;
    }

    WebSocketClient wsClient() {
        return wsClient;
    }

    /** One request/response pair: channel {@code n} of the session's recording. */
    final class Exchange {
        final HttpSession s;
        final int n;
        final HttpServerRequest req;
        final Context context = vertx.getOrCreateContext();
        private HttpGuard.Request head;
        private HttpClientRequest upstream;
        private Runnable unregister = () -> {};
        private boolean done;
        private long requestBytes;
        private long responseBytes;
        private int deviceStatus;

        Exchange(HttpSession s, int n, HttpServerRequest req) {
            this.s = s;
            this.n = n;
            this.req = req;
        }

        void readRequest() {
            unregister = s.onEnd(() -> context.runOnContext(v -> cut("the session ended")));
            req.response().closeHandler(v -> { // the browser went away: stop fetching for it
                if (done) return;
                done = true;
                unregister.run();
                if (upstream != null) upstream.reset();
            });
            Buffer body = Buffer.buffer();
            boolean[] tooLarge = {false};
            req.handler(b -> {
                if (tooLarge[0]) return;
                if (body.length() + (long) b.length() > settings.maxRequestBodyBytes()) tooLarge[0] = true;
                else body.appendBuffer(b);
            });
            req.exceptionHandler(e -> finish());
            req.endHandler(v -> {
                if (tooLarge[0]) {
                    record(Direction.INPUT, serializeRequest(Buffer.buffer()));
                    block(HttpGuard.Verdict.block(RULE_REQUEST_TOO_LARGE, "request bodies over " + settings.maxRequestBodyBytes()
                            + " bytes are not proxied"), 413);
                    return;
                }
                onRequest(body);
            });
            req.resume();
        }

        HttpGuard.Request head() {
            if (head == null) {
                String q = req.query() == null ? "" : req.query();
                head = new HttpGuard.Request(req.method().name(), req.path() == null ? "" : req.path(), q,
                        req.getHeader(HttpHeaders.CONTENT_TYPE), null);
            }
            return head;
        }

        private void onRequest(Buffer body) {
            requestBytes = body.length();
            s.addIn(body.length());
            if (!record(Direction.INPUT, serializeRequest(body))) return;
            HttpGuard.Request h = head();
            String soap = soapAction(req.headers(), body);
            if (soap != null) head = h = new HttpGuard.Request(h.method(), h.path(), h.query(), h.contentType(), soap);
            if (req.method() == HttpMethod.CONNECT || !req.uri().startsWith("/")) {
                block(HttpGuard.Verdict.block(RULE_ABSOLUTE_URI, "only paths on the target's web port are proxied; other hosts, ports"
                        + " (RTSP, SSH, ...) and CONNECT never are"), 403);
                return;
            }
            HttpGuard.Verdict v = guard.request(h, body.getBytes());
            if (v.blocked()) {
                block(v, 403);
                return;
            }
            forward(body, false);
        }

        private void forward(Buffer body, boolean retried) {
            Target t = s.target();
            DeviceAuth auth = sessions.deviceAuth(t);
            RequestOptions o = new RequestOptions().setMethod(req.method()).setHost(t.address()).setPort(t.httpPort()).setURI(req.uri())
                    .setTimeout(60_000);
            MultiMap h = o.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : o.getHeaders();
            req.headers().forEach((k, val) -> {
                if (!REQUEST_DROP.contains(k.toLowerCase(Locale.ROOT)) && !k.toLowerCase(Locale.ROOT).startsWith("x-sallyport-")) h.add(k, val);
            });
            h.set(HttpHeaders.HOST, t.address() + ":" + t.httpPort());
            h.set(HttpHeaders.ACCEPT_ENCODING, "gzip, deflate");
            String authorization = auth.authorization(req.method().name(), req.uri());
            if (authorization != null) h.set(HttpHeaders.AUTHORIZATION, authorization);
            o.setHeaders(h);
            client.request(o).compose(creq -> {
                upstream = creq;
                return creq.send(body);
            }).onSuccess(resp -> {
                resp.exceptionHandler(e -> {}); // replaced in onResponse; a reset before that is expected, not an error
                if (done) {
                    resp.request().reset();
                    return;
                }
                if (resp.statusCode() == 401 && !retried && auth.challenged(resp.headers().getAll("WWW-Authenticate"))) {
                    event(Map.of("type", "http-device-challenge", "exchange", n, "status", 401));
                    resp.body().onComplete(ar -> forward(body, true)); // drain; the device's challenge is for the broker
                    return;
                }
                if (resp.statusCode() == 401) {
                    resp.request().reset();
                    block(HttpGuard.Verdict.block(RULE_DEVICE_AUTH, "the device refused the broker's credential; ask the site admin"), 502);
                    return;
                }
                onResponse(resp);
            }).onFailure(e -> {
                if (done) return;
                LOG.warn("HTTP session {}: device {} unreachable: {}", s.id(), t.id(), e.toString());
                event(Map.of("type", "http-device-error", "exchange", n, "error", String.valueOf(e.getMessage())));
                sendPage(502, "device.unreachable", "The device " + t.id() + " did not answer.");
            });
        }

        private void onResponse(HttpClientResponse resp) {
            deviceStatus = resp.statusCode();
            if (!record(Direction.OUTPUT, serializeResponseHead(resp))) {
                resp.request().reset();
                return;
            }
            HttpGuard.ResponseInspection inspection = guard.response(head(), resp.statusCode(), resp.getHeader(HttpHeaders.CONTENT_TYPE),
                    resp.getHeader("Content-Disposition"));
            HttpGuard.Verdict[] verdict = {inspection.head()};
            BodyDecoder decoder = BodyDecoder.forEncoding(resp.getHeader(HttpHeaders.CONTENT_ENCODING));
            if (decoder == null && !verdict[0].blocked()) {
                verdict[0] = HttpGuard.Verdict.block(RULE_ENCODING, "content-encoding " + resp.getHeader(HttpHeaders.CONTENT_ENCODING)
                        + " cannot be inspected");
            }
            Buffer held = Buffer.buffer();
            long[] evidence = {0};
            BodyDecoder.Sink sink = (d, off, len) -> {
                HttpGuard.Verdict v = inspection.body(d, off, len);
                if (v.blocked()) verdict[0] = v;
                return !v.blocked();
            };
            resp.handler(chunk -> {
                if (done) return;
                responseBytes += chunk.length();
                byte[] bytes = chunk.getBytes();
                if (!record(Direction.OUTPUT, bytes)) {
                    resp.request().reset();
                    return;
                }
                if (verdict[0].blocked()) {
                    evidence[0] += chunk.length();
                    if (evidence[0] >= settings.blockedEvidenceBytes()) {
                        resp.request().reset();
                        blockResponse(verdict[0], decoder);
                    }
                    return;
                }
                if (held.length() + (long) chunk.length() > settings.maxResponseBodyBytes()) {
                    verdict[0] = HttpGuard.Verdict.block(RULE_RESPONSE_TOO_LARGE, "responses over " + settings.maxResponseBodyBytes()
                            + " bytes cannot be inspected and are not passed");
                    return;
                }
                held.appendBuffer(chunk);
                try {
                    decoder.feed(bytes, 0, bytes.length, sink);
                } catch (RuntimeException e) {
                    verdict[0] = HttpGuard.Verdict.block(RULE_ENCODING, "the body does not decode as " + resp.getHeader(HttpHeaders.CONTENT_ENCODING));
                }
            });
            resp.exceptionHandler(e -> {
                if (done) return;
                if (verdict[0].blocked()) blockResponse(verdict[0], decoder);
                else {
                    if (decoder != null) decoder.close();
                    sendPage(502, "device.error", "The device's response broke off.");
                }
            });
            resp.endHandler(v -> {
                if (done) return;
                if (!verdict[0].blocked()) {
                    try {
                        decoder.finish(sink);
                    } catch (RuntimeException e) {
                        verdict[0] = HttpGuard.Verdict.block(RULE_ENCODING, "the body does not decode as " + resp.getHeader(HttpHeaders.CONTENT_ENCODING));
                    }
                }
                if (!verdict[0].blocked()) {
                    HttpGuard.Verdict f = inspection.finish();
                    if (f.blocked()) verdict[0] = f;
                }
                if (!verdict[0].blocked() && s.bytesOut() + held.length() > settings.maxResponseBytesPerSession()) {
                    verdict[0] = HttpGuard.Verdict.block(RULE_VOLUME, "this session has passed its volume cap of "
                            + settings.maxResponseBytesPerSession() + " bytes; it ends");
                }
                if (verdict[0].blocked()) {
                    blockResponse(verdict[0], decoder);
                    if (verdict[0].ruleId().equals(RULE_VOLUME)) {
                        vertx.executeBlocking(() -> {
                            sessions.end(s, SessionEndReason.POLICY_VIOLATION, "volume cap");
                            return null;
                        }, false);
                    }
                    return;
                }
                decoder.close();
                pass(resp, held);
            });
        }

        private void blockResponse(HttpGuard.Verdict v, BodyDecoder decoder) {
            if (decoder != null) decoder.close();
            block(v, 403);
        }

        private void pass(HttpClientResponse resp, Buffer body) {
            HttpServerResponse out = req.response();
            if (out.ended() || out.closed()) { // the browser went away meanwhile
                finish();
                return;
            }
            out.setStatusCode(resp.statusCode());
            if (resp.statusMessage() != null) out.setStatusMessage(resp.statusMessage());
            resp.headers().forEach((k, val) -> {
                String l = k.toLowerCase(Locale.ROOT);
                if (RESPONSE_DROP.contains(l)) return;
                if (l.equals("location")) val = sameOrigin(val, s.target());
                else if (l.equals("set-cookie")) val = COOKIE_DOMAIN.matcher(val).replaceAll("");
                out.headers().add(k, val);
            });
            s.addOut(body.length());
            summary("pass", HttpGuard.Verdict.pass(DefaultCameraHttpGuard.RULE_ALLOW), resp.statusCode());
            done = true;
            unregister.run();
            out.end(body);
        }

        /** The request or response is refused: event, audit, 403 page. The device's bytes are already recorded. */
        void block(HttpGuard.Verdict v, int status) {
            if (done) return;
            summary("block", v, status);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("rule", v.ruleId());
            d.put("reason", v.reason());
            d.put("method", req.method().name());
            d.put("path", req.path() == null ? "" : req.path());
            d.put("exchange", Integer.toString(n));
            d.put("target", s.target().id());
            auditBlocked(d);
            sendPage(status, v.ruleId(), v.reason());
        }

        void auditBlocked(Map<String, String> d) {
            String user = s.session().username();
            d.put("recording", s.recording().id());
            vertx.executeBlocking(() -> audit.record(new AuditEventDraft(user, "session.http-blocked", "session", s.id(), d)), false)
                    .onFailure(e -> LOG.error("HTTP session {}: block could not be audited", s.id(), e));
        }

        private void sendPage(int status, String rule, String reason) {
            if (done) return;
            done = true;
            unregister.run();
            if (upstream != null) upstream.reset();
            if (!req.isEnded()) req.resume();
            page(req.response(), status, rule, reason);
        }

        /** The session ended under this exchange: cut both sides. */
        private void cut(String why) {
            if (done) return;
            done = true;
            if (upstream != null) upstream.reset();
            req.connection().close();
        }

        private void finish() {
            done = true;
            unregister.run();
        }

        private void summary(String verdict, HttpGuard.Verdict v, int sentStatus) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", "http-exchange");
            e.put("exchange", n);
            e.put("method", req.method().name());
            e.put("path", req.path() == null ? "" : req.path());
            e.put("query", req.query() == null ? "" : req.query());
            e.put("deviceStatus", deviceStatus);
            e.put("status", sentStatus);
            e.put("requestBytes", requestBytes);
            e.put("responseBytes", responseBytes);
            e.put("verdict", verdict);
            e.put("rule", v.ruleId());
            if (v.blocked()) e.put("reason", v.reason());
            event(e);
        }

        void event(Map<String, ?> fields) {
            try {
                record(Direction.EVENT, JSON.writeValueAsBytes(fields));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Write-ahead append; false (and the session ends as recorder-failure) when the recording cannot take it. */
        boolean record(Direction d, byte[] bytes) {
            try {
                s.recording().append(n, d, bytes, 0, bytes.length);
                return true;
            } catch (RuntimeException e) {
                if (s.endReason() == null) {
                    LOG.error("HTTP session {}: recording failed; the session ends", s.id(), e);
                    vertx.executeBlocking(() -> {
                        sessions.end(s, SessionEndReason.RECORDER_FAILURE, "recording failed");
                        return null;
                    }, false);
                }
                sendPage(503, "recorder-failure", "The session's recording failed, so nothing more is passed (fail closed).");
                return false;
            }
        }

        /** The request as the broker received it (HTTP/1.1 form, transfer framing removed, ticket redacted). */
        byte[] serializeRequest(Buffer body) {
            StringBuilder sb = new StringBuilder();
            sb.append(req.method().name()).append(' ').append(req.uri()).append(' ').append(version(req.version())).append("\r\n");
            req.headers().forEach((k, v) -> sb.append(k).append(": ")
                    .append(k.equalsIgnoreCase(TICKET_HEADER) ? "[redacted]" : v).append("\r\n"));
            sb.append("\r\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream(sb.length() + body.length());
            out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body.getBytes());
            return out.toByteArray();
        }
    }

    /** Cookies scoped to the device's address would not reach it through the browser's local origin. */
    private static final Pattern COOKIE_DOMAIN = Pattern.compile("(?i);\\s*domain=[^;]*");

    /**
     * A redirect to the device's own address becomes a path on the browser's origin (the tunnel), so the browser
     * never tries to reach the device directly; other locations are left as they are (the browser cannot use them
     * through the tunnel either).
     */
    static String sameOrigin(String location, Target t) {
        for (String prefix : new String[] {"http://" + t.address() + ":" + t.httpPort(), "https://" + t.address() + ":" + t.httpPort(),
                "http://" + t.address() + (t.httpPort() == 80 ? "" : ":none")}) {
            if (location.regionMatches(true, 0, prefix, 0, prefix.length())) {
                String rest = location.substring(prefix.length());
                return rest.isEmpty() ? "/" : rest.startsWith("/") ? rest : location;
            }
        }
        return location;
    }

    static String version(io.vertx.core.http.HttpVersion v) {
        return switch (v) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_2 -> "HTTP/2";
            default -> "HTTP/1.1";
        };
    }

    static byte[] serializeResponseHead(HttpClientResponse resp) {
        StringBuilder sb = new StringBuilder();
        sb.append(version(resp.version())).append(' ').append(resp.statusCode()).append(' ')
                .append(resp.statusMessage() == null ? "" : resp.statusMessage()).append("\r\n");
        resp.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The SOAP action of a request: SOAPAction header, the content type's action parameter, else the Body's first element. */
    static String soapAction(MultiMap headers, Buffer body) {
        String sa = headers.get("SOAPAction");
        if (sa != null && !sa.isBlank()) return lastSegment(sa.replace("\"", ""));
        String ct = headers.get(HttpHeaders.CONTENT_TYPE);
        boolean soapish = ct != null && (ct.contains("soap") || ct.contains("xml"));
        if (ct != null) {
            Matcher m = SOAP_ACTION_PARAM.matcher(ct);
            if (m.find()) return lastSegment(m.group(1));
        }
        if (!soapish || body.length() == 0) return null;
        Matcher m = SOAP_BODY_ELEMENT.matcher(body.toString(StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }

    private static String lastSegment(String s) {
        int i = Math.max(s.lastIndexOf('/'), s.lastIndexOf('#'));
        return i >= 0 ? s.substring(i + 1) : s;
    }

    /** The page a vendor sees instead of what was blocked. */
    static void page(HttpServerResponse res, int status, String rule, String reason) {
        if (res.ended() || res.closed()) return;
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Blocked by Sallyport</title></head><body>"
                + "<h1>" + status + " - blocked by Sallyport</h1><p>" + escape(reason) + "</p><p>Rule: <code>" + escape(rule)
                + "</code></p><p>This attempt is recorded and audited.</p></body></html>";
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").putHeader(RULE_HEADER, rule)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("X-Content-Type-Options", "nosniff")
                .end(html);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public void close() {
        client.close();
        wsClient.close();
    }
}
