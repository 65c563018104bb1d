package org.sallyport.broker.portal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.UnauthenticatedException;
import org.sallyport.broker.gateway.Gateway;
import org.sallyport.broker.gateway.GatewaySessions;
import org.sallyport.broker.http.ApiVerticle;
import org.sallyport.broker.http.Json;
import org.sallyport.broker.identity.Identity;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.workflow.WorkflowService;
import org.sallyport.recorder.audit.AuditEventDraft;

/**
 * The portal's routes: sign-in and sign-out with a cookie session, the page shells, the bundled assets, and
 * three JSON additions to the API that the pages need: live streams (Server-Sent Events) of the pending
 * queue and of active sessions, and recording playback. Everything else the pages show comes from the
 * existing API, which accepts the portal's cookie (with CSRF checks) as well as bearer tokens.
 *
 * <p>Threading: handlers run on the event loop; store, password and recording work goes to workers.
 */
public final class PortalRoutes {
    /** How often a live stream re-reads its list; a change is pushed at once, an unchanged list is not sent. */
    static final long STREAM_POLL_MS = 1000;
    /** A comment line keeps proxies from closing an idle stream. */
    static final long STREAM_HEARTBEAT_MS = 15_000;

    private final Vertx vertx;
    private final PortalSessions sessions;
    private final Identity identity;
    private final WorkflowService workflow;
    private final GatewaySessions gatewaySessions;
    private final Gateway gateway;
    private final Store store;
    private final AuditLog audit;
    private final SessionPlayback playback;
    private final Clock clock;
    private volatile String ssoPath;
    private volatile String afterLogout = "/portal/login";
    private java.util.function.Consumer<Router> signInRoutes = r -> {};

    public PortalRoutes(Vertx vertx, PortalSessions sessions, Identity identity, WorkflowService workflow, GatewaySessions gatewaySessions,
                        Gateway gateway, Store store, AuditLog audit, SessionPlayback playback, Clock clock) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.identity = identity;
        this.workflow = workflow;
        this.gatewaySessions = gatewaySessions;
        this.gateway = gateway;
        this.store = store;
        this.audit = audit;
        this.playback = playback;
        this.clock = clock;
    }

    public PortalSessions sessions() {
        return sessions;
    }

    /** Where the browser goes after Sign out; with single sign-on, the provider's logout (else the SSO session lives on). */
    public PortalRoutes afterLogout(String path) {
        this.afterLogout = path;
        return this;
    }

    /** Shows "Sign in with SSO" on the login page, linking to {@code path} (the OIDC login route); null hides it. */
    public PortalRoutes ssoLink(String path) {
        this.ssoPath = path;
        return this;
    }

    /**
     * Adds another way to sign in (single sign-on): {@code mount} registers its routes (e.g. the OIDC redirect
     * and callback) beside the login form, outside the API's authentication, and the login page links to
     * {@code ssoPath}. Its callback ends with {@link PortalSessions#start} (via {@link #sessions()}), audits the
     * sign-in and redirects to {@code /portal/queue}. Call before the broker deploys its HTTP verticle.
     */
    public PortalRoutes withSignIn(String ssoPath, java.util.function.Consumer<Router> mount) {
        this.ssoPath = ssoPath;
        this.signInRoutes = mount;
        return this;
    }

    /** Routes that need no API authentication: pages (which redirect to sign-in), assets, login, logout. */
    public void mountPages(Router router) {
        signInRoutes.accept(router);
        router.get("/portal/assets/*").handler(StaticHandler.create("portal/assets").setCachingEnabled(false).setIncludeHidden(false));
        router.get("/").handler(ctx -> redirect(ctx, "/portal/queue"));
        router.get("/portal").handler(ctx -> redirect(ctx, "/portal/queue"));
        router.get("/portal/").handler(ctx -> redirect(ctx, "/portal/queue"));
        router.get("/portal/login").handler(this::loginPage);
        router.post("/portal/login").handler(BodyHandler.create(false).setBodyLimit(8 * 1024)).handler(this::login);
        router.post("/portal/logout").handler(BodyHandler.create(false).setBodyLimit(8 * 1024)).handler(this::logout);
        for (PortalPages.Page p : PortalPages.NAV) {
            router.get(p.path()).handler(ctx -> page(ctx, p.name(), p.title(), null));
        }
        router.get("/portal/requests/:id").handler(ctx -> page(ctx, "request", "Request " + shortId(ctx.pathParam("id")), ctx.pathParam("id")));
        router.get("/portal/sessions/:id/live").handler(ctx -> page(ctx, "live", "Live session " + shortId(ctx.pathParam("id")), ctx.pathParam("id")));
        router.get("/portal/sessions/:id/playback").handler(ctx -> page(ctx, "playback", "Recording of session " + shortId(ctx.pathParam("id")), ctx.pathParam("id")));
    }

    /** API additions; mounted after the API's authentication handler. */
    public void mountApi(Router router) {
        router.get("/api/events/requests").handler(ctx -> stream(ctx, "requests", this::pendingJson));
        router.get("/api/events/sessions").handler(ctx -> stream(ctx, "sessions", this::liveSessionsJson));
        router.get("/api/sessions/:id/recording").handler(ctx -> {
            Principal p = ApiVerticle.principal(ctx);
            String id = ctx.pathParam("id");
            blocking(() -> playback.play(p, id)).onSuccess(n -> json(ctx, n)).onFailure(ctx::fail);
        });
    }

    // ------------------------------------------------------------------ sign-in

    private void loginPage(RoutingContext ctx) {
        if (sessions.current(ctx).isPresent()) {
            redirect(ctx, "/portal/queue");
            return;
        }
        html(ctx, 200, nonce -> PortalPages.login(nonce, null, null, ssoPath));
    }

    private void login(RoutingContext ctx) {
        sessions.requireSameOrigin(ctx);
        String username = ctx.request().getFormAttribute("username");
        String password = ctx.request().getFormAttribute("password");
        if (username == null || username.isBlank() || username.length() > 64 || password == null || password.isEmpty() || password.length() > 1024) {
            html(ctx, 400, nonce -> PortalPages.login(nonce, "Enter your username (at most 64 characters) and your password.", null, ssoPath));
            return;
        }
        String remote = remote(ctx);
        identity.login(username, password.toCharArray())
                .compose(l -> blocking(() -> audit.record(new AuditEventDraft(username, "auth.login", "user", username,
                        Map.of("remote", remote, "channel", "portal")))).map(l))
                .onSuccess(l -> {
                    sessions.start(ctx, l.principal());
                    redirect(ctx, "/portal/queue");
                })
                .onFailure(e -> {
                    if (e instanceof UnauthenticatedException) {
                        blocking(() -> audit.record(new AuditEventDraft("anonymous", "auth.login-failed", "user", username,
                                Map.of("remote", remote, "channel", "portal"))))
                                .onSuccess(x -> html(ctx, 401, nonce -> PortalPages.login(nonce, "Wrong username or password.", username, ssoPath)))
                                .onFailure(ctx::fail);
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    private void logout(RoutingContext ctx) {
        Optional<PortalSessions.PortalSession> s = sessions.current(ctx);
        if (s.isPresent()) {
            sessions.requireSameOrigin(ctx);
            sessions.requireCsrf(ctx, s.get());
        }
        Optional<Principal> who = sessions.end(ctx);
        if (who.isEmpty()) {
            redirect(ctx, afterLogout);
            return;
        }
        blocking(() -> audit.record(new AuditEventDraft(who.get().username(), "auth.logout", "user", who.get().username(),
                Map.of("remote", remote(ctx), "channel", "portal"))))
                .onSuccess(x -> redirect(ctx, afterLogout)).onFailure(ctx::fail);
    }

    // ------------------------------------------------------------------ pages

    private void page(RoutingContext ctx, String name, String title, String id) {
        Optional<PortalSessions.PortalSession> s = sessions.current(ctx);
        if (s.isEmpty()) {
            redirect(ctx, "/portal/login");
            return;
        }
        Principal p = s.get().principal();
        if (name.equals("audit") && !p.has(Role.INSPECTOR) && !p.has(Role.ADMIN)) {
            html(ctx, 403, nonce -> PortalPages.shell(nonce, "forbidden", "Not available", p, s.get().csrfToken(), null));
            return;
        }
        html(ctx, 200, nonce -> PortalPages.shell(nonce, name, title, p, s.get().csrfToken(), id));
    }

    // ------------------------------------------------------------------ live streams

    /**
     * Server-Sent Events: pushes {@code event: NAME} with the JSON list whenever it changes. The list is
     * re-read from the store (so every replica sees every change) and only for the viewer's own scope.
     */
    private void stream(RoutingContext ctx, String event, Function<Principal, ObjectNode> read) {
        Principal p = ApiVerticle.principal(ctx);
        Optional<PortalSessions.PortalSession> cookie = sessions.current(ctx);
        HttpServerResponse res = ctx.response();
        res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        res.write(": stream of " + event + "\nretry: 2000\n\n");
        String[] last = {null};
        AtomicBoolean busy = new AtomicBoolean();
        long[] lastWrite = {System.nanoTime()};
        long timer = vertx.setPeriodic(0, STREAM_POLL_MS, id -> {
            if (res.closed() || busy.get()) return;
            if (cookie.isPresent() && !sessions.alive(cookie.get())) {
                res.end("event: signed-out\ndata: {}\n\n");
                return;
            }
            busy.set(true);
            // Changed means the list changed; "now" alone does not count (a re-render would move keyboard focus).
            blocking(() -> {
                ObjectNode n = read.apply(p);
                return new String[] {Json.MAPPER.writeValueAsString(n.get(event)), Json.MAPPER.writeValueAsString(n)};
            }).onComplete(ar -> {
                busy.set(false);
                if (res.closed()) return;
                if (ar.failed()) {
                    res.end("event: failed\ndata: {\"detail\":\"the list could not be read; reload to retry\"}\n\n");
                    return;
                }
                if (!ar.result()[0].equals(last[0])) {
                    last[0] = ar.result()[0];
                    lastWrite[0] = System.nanoTime();
                    res.write("event: " + event + "\ndata: " + ar.result()[1] + "\n\n");
                } else if (System.nanoTime() - lastWrite[0] > STREAM_HEARTBEAT_MS * 1_000_000) {
                    lastWrite[0] = System.nanoTime();
                    res.write(": still here\n\n");
                }
            });
        });
        res.closeHandler(v -> vertx.cancelTimer(timer));
    }

    private ObjectNode pendingJson(Principal p) {
        Instant now = clock.instant();
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (AccessRequest r : workflow.list(p, RequestState.PENDING, 500)) a.add(Json.request(r, workflow.grantsOf(r.id()), now));
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("now", now.toString());
        n.set("requests", a);
        return n;
    }

    private ObjectNode liveSessionsJson(Principal p) {
        Instant now = clock.instant();
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (GatewaySession s : gatewaySessions.list(p, true, 500)) {
            ObjectNode n = Json.session(s);
            gateway.liveBytes(s.id()).ifPresent(b -> {
                n.put("bytesIn", b[0]);
                n.put("bytesOut", b[1]);
            });
            store.inTransaction(tx -> tx.findGrant(s.grantId())).ifPresent(g -> n.put("notAfter", g.notAfter().toString()));
            a.add(n);
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("now", now.toString());
        n.set("sessions", a);
        return n;
    }

    // ------------------------------------------------------------------ plumbing

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    private static void json(RoutingContext ctx, Object body) {
        try {
            ctx.response().putHeader("Content-Type", "application/json").end(Json.MAPPER.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static void html(RoutingContext ctx, int status, Function<String, String> render) {
        String nonce = PortalPages.nonce();
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", PortalPages.csp(nonce))
                .putHeader("X-Frame-Options", "DENY")
                // With no-referrer a browser sends "Origin: null" on form posts; same-origin keeps the Origin check usable.
                .putHeader("Referrer-Policy", "same-origin")
                .end(render.apply(nonce));
    }

    private static void redirect(RoutingContext ctx, String to) {
        ctx.response().setStatusCode(303).putHeader("Location", to).end();
    }

    private static String shortId(String id) {
        return id == null ? "" : id.length() > 8 ? id.substring(0, 8) : id;
    }

    private static String remote(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }
}
