package org.sallyport.broker.httpproxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sallyport.broker.domain.Target;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.recording.Direction;

/**
 * A browser WebSocket relayed to the device's, on the exchange's channel: every message is recorded (INPUT from
 * the browser, OUTPUT from the device) before it is passed, and every device message goes through the guard's
 * response inspection (a fresh one per message) so that no image leaves by WebSocket either; a blocked message
 * closes the socket with 1008 (policy violation) and is audited.
 *
 * <p>Restrictions: the device credential is added only once the device's scheme is known, i.e. after the page
 * that opens the socket was loaded through the proxy (as a browser always does).
 */
final class WebSocketRelay {
    private static final Set<String> DROP = Set.of("connection", "upgrade", "host", "authorization", "cookie2", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-accept", "content-length", "proxy-authorization",
            "accept-encoding", HttpProxyHandler.TICKET_HEADER.toLowerCase(Locale.ROOT));

    private final HttpProxyHandler proxy;
    private final HttpProxyHandler.Exchange x;

    WebSocketRelay(HttpProxyHandler proxy, HttpProxyHandler.Exchange x) {
        this.proxy = proxy;
        this.x = x;
    }

    void start() {
        var req = x.req;
        if (!x.record(Direction.INPUT, x.serializeRequest(Buffer.buffer()))) return;
        HttpGuard.Verdict v = proxy.guard().request(x.head(), new byte[0]);
        if (v.blocked()) {
            x.block(v, 403);
            return;
        }
        req.pause();
        Target t = x.s.target();
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        req.headers().forEach((k, val) -> {
            String l = k.toLowerCase(Locale.ROOT);
            if (!DROP.contains(l) && !l.startsWith("x-sallyport-")) h.add(k, val);
        });
        String auth = proxy.sessions().deviceAuth(t).authorization("GET", req.uri());
        if (auth != null) h.set(HttpHeaders.AUTHORIZATION, auth);
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(t.address()).setPort(t.httpPort()).setURI(req.uri())
                .setHeaders(h);
        String sub = req.getHeader("Sec-WebSocket-Protocol");
        if (sub != null) for (String p : sub.split(",")) o.addSubProtocol(p.trim());
        proxy.wsClient().connect(o).onSuccess(up -> req.toWebSocket().onSuccess(down -> relay(up, down)).onFailure(e -> up.close()))
                .onFailure(e -> {
                    req.resume();
                    x.block(HttpGuard.Verdict.block("device.websocket-refused", "the device refused the WebSocket: " + e.getMessage()), 502);
                });
    }

    private void relay(WebSocket up, ServerWebSocket down) {
        Runnable unregister = x.s.onEnd(() -> x.context.runOnContext(v -> {
            down.close((short) 1001, "session ended");
            up.close();
        }));
        x.event(Map.of("type", "websocket-open", "exchange", x.n, "path", x.req.path()));
        down.textMessageHandler(m -> {
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            x.s.addIn(b.length);
            if (x.record(Direction.INPUT, b)) up.writeTextMessage(m);
        });
        down.binaryMessageHandler(m -> {
            x.s.addIn(m.length());
            if (x.record(Direction.INPUT, m.getBytes())) up.writeBinaryMessage(m);
        });
        up.textMessageHandler(m -> fromDevice(m.getBytes(StandardCharsets.UTF_8), "text/plain", down, up, () -> down.writeTextMessage(m)));
        up.binaryMessageHandler(m -> fromDevice(m.getBytes(), "application/octet-stream", down, up, () -> down.writeBinaryMessage(m)));
        down.closeHandler(v -> {
            unregister.run();
            up.close();
        });
        up.closeHandler(v -> {
            unregister.run();
            x.event(Map.of("type", "websocket-close", "exchange", x.n));
            down.close();
        });
    }

    private void fromDevice(byte[] b, String type, ServerWebSocket down, WebSocket up, Runnable pass) {
        if (!x.record(Direction.OUTPUT, b)) {
            down.close((short) 1011, "recording failed");
            up.close();
            return;
        }
        HttpGuard.ResponseInspection i = proxy.guard().response(x.head(), 101, type, null);
        HttpGuard.Verdict v = i.head();
        if (!v.blocked()) v = i.body(b, 0, b.length);
        if (!v.blocked()) v = i.finish();
        if (!v.blocked() && x.s.bytesOut() + b.length > proxy.sessions().settings().maxResponseBytesPerSession()) {
            v = HttpGuard.Verdict.block(HttpProxyHandler.RULE_VOLUME, "this session has passed its volume cap");
        }
        if (v.blocked()) {
            x.event(Map.of("type", "websocket-blocked", "exchange", x.n, "rule", v.ruleId(), "reason", v.reason()));
            Map<String, String> d = new LinkedHashMap<>();
            d.put("rule", v.ruleId());
            d.put("reason", v.reason());
            d.put("method", "WEBSOCKET");
            d.put("path", x.req.path());
            d.put("exchange", Integer.toString(x.n));
            d.put("target", x.s.target().id());
            x.auditBlocked(d);
            down.close((short) 1008, truncate("blocked by Sallyport: " + v.ruleId()));
            up.close();
            return;
        }
        x.s.addOut(b.length);
        pass.run();
    }

    private static String truncate(String s) {
        return s.length() > 120 ? s.substring(0, 120) : s;
    }
}
