package org.sallyport.broker.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.ConflictException;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.gateway.Gateway;
import org.sallyport.broker.gateway.GatewaySessions;
import org.sallyport.broker.gateway.SshKeys;
import org.sallyport.broker.gateway.UserCertificateAuthority;
import org.sallyport.recorder.audit.AuditEventDraft;

/** SSH certificates for vendors, and the gateway's sessions: list and terminate. */
public final class SessionRoutes {
    private final Vertx vertx;
    private final Gateway gateway;
    private final GatewaySessions sessions;
    private final SshKeys keys;
    private final String sshHost;
    private final Duration certificateTtl;
    private final AuditLog audit;
    private final Clock clock;

    public SessionRoutes(Vertx vertx, Gateway gateway, GatewaySessions sessions, SshKeys keys, String sshHost, Duration certificateTtl,
                         AuditLog audit, Clock clock) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.sessions = sessions;
        this.keys = keys;
        this.sshHost = sshHost;
        this.certificateTtl = certificateTtl;
        this.audit = audit;
        this.clock = clock;
    }

    private org.sallyport.broker.httpproxy.HttpSessions httpSessions;

    /** Terminate and the live byte counts also reach HTTP sessions. */
    public SessionRoutes withHttpSessions(org.sallyport.broker.httpproxy.HttpSessions httpSessions) {
        this.httpSessions = httpSessions;
        return this;
    }

    void mount(Router router) {
        router.post("/api/ssh/certificate").handler(this::certificate);
        router.get("/api/sessions").handler(this::list);
        router.post("/api/sessions/:id/terminate").handler(this::terminate);
        router.get("/api/sessions/:id/live").handler(this::live);
    }

    /** WebSocket: the session's terminal output as binary frames while it lasts; closes when the session ends. */
    private void live(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        String id = ctx.pathParam("id");
        ctx.request().pause();
        vertx.executeBlocking(() -> sessions.forLiveView(p, id), false).onFailure(e -> {
            ctx.request().resume();
            ctx.fail(e);
        }).onSuccess(s -> ctx.request().toWebSocket().onFailure(ctx::fail).onSuccess(ws -> {
            Runnable[] stop = new Runnable[1];
            stop[0] = gateway.feed().watch(id, buf -> {
                if (!ws.writeQueueFull()) ws.writeBinaryMessage(buf);
            }, () -> ws.close((short) 1000, "session ended"));
            ws.closeHandler(v -> {
                stop[0].run();
                vertx.executeBlocking(() -> audit.record(new AuditEventDraft(p.username(), "session.live-view-ended", "session", id, Map.of())), false);
            });
        }));
    }

    private void certificate(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        var key = UserCertificateAuthority.parsePublicKey(Input.of(ctx, Set.of("publicKey")).text("publicKey", 1, 16 * 1024, true));
        String host = sshHost.equals("0.0.0.0") || sshHost.equals("::") ? ctx.request().authority().host() : sshHost;
        respond(ctx, () -> {
            if (!p.has(Role.VENDOR_TECHNICIAN)) {
                audit.record(new AuditEventDraft(p.username(), "ssh.certificate-refused", "user", p.username(),
                        Map.of("reason", "only vendor technicians connect through the gateway")));
                throw new ForbiddenException("only vendor technicians get SSH certificates");
            }
            Instant validBefore = clock.instant().plus(certificateTtl);
            var cert = gateway.certificateAuthority().sign(key, p.username(), validBefore);
            audit.record(new AuditEventDraft(p.username(), "ssh.certificate-issued", "user", p.username(),
                    Map.of("serial", Long.toUnsignedString(cert.getSerial()), "validBefore", validBefore.toString(),
                            "keyFingerprint", org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(key))));
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("certificate", UserCertificateAuthority.toOpenSsh(cert));
            n.put("principal", p.username());
            n.put("validBefore", validBefore.toString());
            n.put("sshHost", host);
            n.put("sshPort", gateway.port());
            n.put("hostKey", keys.hostKeyOpenSsh());
            return n;
        });
    }

    private void list(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        boolean liveOnly = "true".equals(ctx.queryParams().get("live"));
        int limit = ApiVerticle.intParam(ctx, "limit", 100, 1000);
        respond(ctx, () -> {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (GatewaySession s : sessions.list(p, liveOnly, limit)) {
                ObjectNode n = Json.session(s);
                if (s.live()) {
                    gateway.liveBytes(s.id()).or(() -> httpSessions == null ? java.util.Optional.empty() : httpSessions.liveBytes(s.id()))
                            .ifPresent(b -> {
                        n.put("bytesIn", b[0]);
                        n.put("bytesOut", b[1]);
                    });
                }
                a.add(n);
            }
            return a;
        });
    }

    private void terminate(RoutingContext ctx) {
        Principal p = ApiVerticle.principal(ctx);
        String id = ctx.pathParam("id");
        respond(ctx, () -> {
            GatewaySession s = sessions.forTermination(p, id);
            if (!s.live()) throw new ConflictException("session " + id + " already ended (" + s.endReason().wireName() + ")");
            sessions.terminationRequested(p, s);
            if (!gateway.terminate(id, p.username()) && (httpSessions == null || !httpSessions.terminate(id, p.username()))) {
                throw new ConflictException("session " + id + " is not live on this broker");
            }
            ObjectNode n = Json.session(s);
            n.put("terminating", true);
            return n;
        });
    }

    private void respond(RoutingContext ctx, Callable<Object> work) {
        vertx.executeBlocking(work, false).onSuccess(body -> ApiVerticle.json(ctx, 200, body)).onFailure(ctx::fail);
    }
}
