package org.sallyport.broker.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.BrokerException;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.InvalidInputException;
import org.sallyport.broker.error.UnauthenticatedException;
import org.sallyport.broker.identity.Identity;
import org.sallyport.broker.store.AuditFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.workflow.DurationParser;
import org.sallyport.broker.workflow.NewRequest;
import org.sallyport.broker.workflow.WorkflowService;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP listener: REST API under {@code /api}, health under {@code /health}, Prometheus under {@code /metrics}.
 *
 * <p>Threading: handlers run on the event loop and never block; store, hashing and audit work runs in
 * {@code executeBlocking} on the worker pool.
 */
public final class ApiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    private static final String PRINCIPAL = "sallyport.principal";
    private static final String PROBLEM_BASE = "https://sallyport.org/problems/";

    private final BrokerConfig.Http config;
    private final Identity identity;
    private final WorkflowService workflow;
    private final AuditLog audit;
    private final Store store;
    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final String openApi;
    private final SessionRoutes sessionRoutes;
    private final org.sallyport.broker.portal.PortalRoutes portal;
    private final OidcRoutes oidcRoutes;
    private HttpSessionRoutes httpSessions;
    private HttpServer server;
    private final List<java.util.function.Consumer<Router>> extraRoutes = new java.util.ArrayList<>();

    public ApiVerticle(BrokerConfig.Http config, Identity identity, WorkflowService workflow, AuditLog audit, Store store,
                       PrometheusMeterRegistry registry, Clock clock, SessionRoutes sessionRoutes) {
        this(config, identity, workflow, audit, store, registry, clock, sessionRoutes, null);
    }

    /** With the web portal ({@code portal} null: API only). */
    public ApiVerticle(BrokerConfig.Http config, Identity identity, WorkflowService workflow, AuditLog audit, Store store,
                       PrometheusMeterRegistry registry, Clock clock, SessionRoutes sessionRoutes,
                       org.sallyport.broker.portal.PortalRoutes portal) {
        this(config, identity, workflow, audit, store, registry, clock, sessionRoutes, portal, null);
    }

    /** With the portal and the sign-in routes ({@code /api/auth/config}, OIDC browser sign-in); either may be null. */
    public ApiVerticle(BrokerConfig.Http config, Identity identity, WorkflowService workflow, AuditLog audit, Store store,
                       PrometheusMeterRegistry registry, Clock clock, SessionRoutes sessionRoutes,
                       org.sallyport.broker.portal.PortalRoutes portal, OidcRoutes oidcRoutes) {
        this.portal = portal;
        this.oidcRoutes = oidcRoutes;
        this.config = config;
        this.identity = identity;
        this.workflow = workflow;
        this.audit = audit;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.openApi = resource("/api/openapi.yaml");
        this.sessionRoutes = sessionRoutes;
    }

    /** Adds the HTTP proxy to device web UIs (tunnelled requests are routed before everything else). */
    public ApiVerticle withHttpSessions(HttpSessionRoutes routes) {
        this.httpSessions = routes;
        return this;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        if (httpSessions != null) router.route().handler(httpSessions::front); // tunnelled device requests, before everything
        router.route().handler(this::securityHeaders);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(Input.MAX_BODY));

        HealthChecks live = HealthChecks.create(vertx);
        live.register("event-loop", p -> p.complete(Status.OK()));
        router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
        HealthChecks ready = HealthChecks.create(vertx);
        ready.register("store", 3000, p -> vertx.executeBlocking(store::ping, false)
                .onComplete(ar -> p.complete(ar.succeeded() && ar.result() ? Status.OK() : Status.KO())));
        ready.register("keys", p -> p.complete(audit.publicKey() != null ? Status.OK() : Status.KO()));
        router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));

        router.get("/api/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));
        router.post("/api/auth/login").handler(this::login);
        if (oidcRoutes != null) oidcRoutes.mount(router); // before authentication: sign-in routes are public
        if (portal != null) portal.mountPages(router);
        router.route("/api/*").handler(this::authenticate);
        router.get("/api/me").handler(ctx -> json(ctx, 200, Json.user(principal(ctx))));
        router.get("/api/targets").handler(this::targets);
        router.post("/api/requests").handler(this::createRequest);
        router.get("/api/requests").handler(this::listRequests);
        router.get("/api/requests/:id").handler(this::getRequest);
        router.post("/api/requests/:id/approve").handler(ctx -> decide(ctx, "approve"));
        router.post("/api/requests/:id/deny").handler(ctx -> decide(ctx, "deny"));
        router.post("/api/requests/:id/cancel").handler(this::cancel);
        router.post("/api/requests/:id/revoke").handler(ctx -> decide(ctx, "revoke"));
        router.get("/api/grants").handler(this::grants);
        router.get("/api/audit").handler(this::searchAudit);
        router.get("/api/audit/verify").handler(this::verifyAudit);
        if (sessionRoutes != null) sessionRoutes.mount(router);
        if (portal != null) portal.mountApi(router);
        extraRoutes.forEach(r -> r.accept(router));
        if (httpSessions != null) httpSessions.mount(router);

        router.route().failureHandler(this::failure);
        router.errorHandler(404, ctx -> problem(ctx, 404, "Not found", "no such endpoint: " + ctx.request().method() + " " + ctx.request().path(), null));
        router.errorHandler(405, ctx -> problem(ctx, 405, "Method not allowed", ctx.request().method() + " is not allowed on " + ctx.request().path(), null));

        // No cleartext HTTP/2 upgrade (h2c): no browser uses it, and the JDK client's h2c upgrade stalled
        // responses here intermittently (a test hung on GET /api/openapi.yaml with the server idle).
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setHttp2ClearTextEnabled(false);
        if (config.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertFile()).setKeyPath(config.tlsKeyFile()));
        }
        return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
    }

    /** Adds routes of another feature (behind authentication); call before deployment. */
    public ApiVerticle mount(java.util.function.Consumer<Router> routes) {
        extraRoutes.add(routes);
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    // ------------------------------------------------------------------ handlers

    private void login(RoutingContext ctx) {
        Input in = Input.of(ctx, Set.of("username", "password"));
        String username = in.text("username", 1, 64, true);
        String password = in.text("password", 1, 1024, true);
        identity.login(username, password.toCharArray())
                .compose(l -> blocking(() -> audit.record(new AuditEventDraft(username, "auth.login", "user", username,
                        Map.of("remote", remote(ctx))))).map(l))
                .onSuccess(l -> {
                    ObjectNode n = Json.MAPPER.createObjectNode();
                    n.put("accessToken", l.accessToken());
                    n.put("tokenType", "Bearer");
                    n.put("expiresIn", l.expiresAt().getEpochSecond() - clock.instant().getEpochSecond());
                    n.put("expiresAt", l.expiresAt().toString());
                    n.set("user", Json.user(l.principal()));
                    json(ctx, 200, n);
                })
                .onFailure(e -> {
                    if (e instanceof UnauthenticatedException) {
                        blocking(() -> audit.record(new AuditEventDraft("anonymous", "auth.login-failed", "user",
                                username, Map.of("remote", remote(ctx)))))
                                .onComplete(ar -> ctx.fail(ar.succeeded() ? e : ar.cause()));
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    private void authenticate(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        String token = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
        if (token == null && portal != null && portal.sessions().current(ctx).isPresent()) {
            ctx.put(PRINCIPAL, portal.sessions().authenticate(ctx)); // the portal's cookie, with CSRF and Origin checks
            ctx.next();
            return;
        }
        identity.authenticate(token).onSuccess(p -> {
            ctx.put(PRINCIPAL, p);
            ctx.next();
        }).onFailure(ctx::fail);
    }

    private void targets(RoutingContext ctx) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        workflow.targets().visibleTo(principal(ctx)).forEach(t -> a.add(Json.target(t)));
        json(ctx, 200, a);
    }

    private void createRequest(RoutingContext ctx) {
        Principal p = principal(ctx);
        Input in = Input.of(ctx, Set.of("targets", "start", "duration", "reason", "ticket"));
        NewRequest req = new NewRequest(in.targets(), in.instant("start"),
                DurationParser.parse("duration", in.text("duration", 1, 32, true)),
                in.text("reason", 3, 1000, true), in.ticket());
        respond(ctx, 201, () -> requestJson(workflow.create(p, req)));
    }

    private void listRequests(RoutingContext ctx) {
        Principal p = principal(ctx);
        RequestState state = enumParam(ctx, "state");
        int limit = intParam(ctx, "limit", 100, 1000);
        respond(ctx, 200, () -> {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (AccessRequest r : workflow.list(p, state, limit)) a.add(requestJson(r));
            return a;
        });
    }

    private void getRequest(RoutingContext ctx) {
        Principal p = principal(ctx);
        String id = ctx.pathParam("id");
        respond(ctx, 200, () -> requestJson(workflow.get(p, id)));
    }

    private void decide(RoutingContext ctx, String verb) {
        Principal p = principal(ctx);
        String id = ctx.pathParam("id");
        String comment = Input.of(ctx, Set.of("comment")).text("comment", 1, 1000, true);
        respond(ctx, 200, () -> requestJson(switch (verb) {
            case "approve" -> workflow.approve(p, id, comment);
            case "deny" -> workflow.deny(p, id, comment);
            default -> workflow.revoke(p, id, comment);
        }));
    }

    private void cancel(RoutingContext ctx) {
        Principal p = principal(ctx);
        String id = ctx.pathParam("id");
        respond(ctx, 200, () -> requestJson(workflow.cancel(p, id)));
    }

    private void grants(RoutingContext ctx) {
        Principal p = principal(ctx);
        int limit = intParam(ctx, "limit", 100, 1000);
        respond(ctx, 200, () -> {
            ArrayNode a = Json.MAPPER.createArrayNode();
            var now = clock.instant();
            workflow.listGrants(p, limit).forEach(g -> a.add(Json.grant(g, now)));
            return a;
        });
    }

    private void searchAudit(RoutingContext ctx) {
        Principal p = principal(ctx);
        AuditFilter f = new AuditFilter(instantParam(ctx, "from"), instantParam(ctx, "to"), ctx.queryParams().get("actor"),
                ctx.queryParams().get("action"), ctx.queryParams().get("objectId"), longParam(ctx, "afterSeq"),
                intParam(ctx, "limit", 500, 5000));
        respond(ctx, 200, () -> {
            requireAuditReader(p, "search");
            ArrayNode a = Json.MAPPER.createArrayNode();
            store.inTransaction(tx -> tx.searchAudit(f)).forEach(e -> a.add(Json.auditEvent(e)));
            return a;
        });
    }

    private void verifyAudit(RoutingContext ctx) {
        Principal p = principal(ctx);
        respond(ctx, 200, () -> {
            requireAuditReader(p, "verify");
            AuditLog.Outcome o = audit.verifyAll();
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("ok", o.ok());
            n.put("events", o.events());
            n.put("firstSeq", o.firstSeq());
            n.put("lastSeq", o.lastSeq());
            n.put("headHash", o.headHash());
            n.put("checkpointsVerified", o.checkpointsVerified());
            n.put("publicKey", audit.publicKey().toPem());
            n.put("keyId", audit.publicKey().keyId());
            if (o.ok()) {
                n.putNull("failure");
            } else {
                ObjectNode f = n.putObject("failure");
                if (o.failedSeq() != null) f.put("seq", o.failedSeq());
                f.put("kind", o.failureKind());
                f.put("message", o.message());
            }
            return n;
        });
    }

    private void requireAuditReader(Principal p, String what) {
        if (!p.has(Role.INSPECTOR) && !p.has(Role.ADMIN)) {
            audit.record(new AuditEventDraft(p.username(), "audit.access-refused", "audit", null, Map.of("operation", what)));
            throw new ForbiddenException("only inspectors and admins read the audit trail");
        }
    }

    // ------------------------------------------------------------------ plumbing

    private ObjectNode requestJson(AccessRequest r) {
        return Json.request(r, workflow.grantsOf(r.id()), clock.instant());
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    private void respond(RoutingContext ctx, int status, Callable<Object> work) {
        blocking(work).onSuccess(body -> json(ctx, status, body)).onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Json.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof BrokerException b) {
            String field = b instanceof InvalidInputException i ? i.field() : null;
            if (b instanceof UnauthenticatedException) ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sallyport\"");
            problem(ctx, b.status(), b.title(), b.getMessage(), field);
        } else if (ctx.statusCode() == 413) {
            problem(ctx, 413, "Payload too large", "body: larger than " + Input.MAX_BODY / 1024 + " KiB", "body");
        } else if (t == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            problem(ctx, ctx.statusCode(), "Bad request", "the request could not be handled", null);
        } else {
            String ref = UUID.randomUUID().toString();
            LOG.error("internal error {} on {} {}", ref, ctx.request().method(), ctx.request().path(), t);
            problem(ctx, 500, "Internal error", "internal error; reference " + ref, null);
        }
    }

    private static void problem(RoutingContext ctx, int status, String title, String detail, String field) {
        if (ctx.response().ended()) return;
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", PROBLEM_BASE + title.toLowerCase().replace(' ', '-'));
        n.put("title", title);
        n.put("status", status);
        n.put("detail", detail);
        if (field != null) n.put("field", field);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(n.toString());
    }

    private void securityHeaders(RoutingContext ctx) {
        var h = ctx.response().headers();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        h.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        h.set("Referrer-Policy", "no-referrer");
        if (config.tls()) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        ctx.next();
    }

    /** The authenticated principal of an API request (bearer token or portal session). */
    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(PRINCIPAL);
        if (p == null) throw new UnauthenticatedException("missing bearer token");
        return p;
    }

    private static RequestState enumParam(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return null;
        try {
            return RequestState.valueOf(v.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name, "'" + v + "' is not one of " + List.of(RequestState.values()));
        }
    }

    static int intParam(RoutingContext ctx, String name, int dflt, int max) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i < 1 || i > max) throw new InvalidInputException(name, "between 1 and " + max);
            return i;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, "'" + v + "' is not a number");
        }
    }

    private static long longParam(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return 0;
        try {
            long l = Long.parseLong(v);
            if (l < 0) throw new InvalidInputException(name, "must be >= 0");
            return l;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, "'" + v + "' is not a number");
        }
    }

    private static java.time.Instant instantParam(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return null;
        try {
            return java.time.Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw new InvalidInputException(name, "'" + v + "' is not an ISO-8601 date or date-time");
            }
        }
    }

    static String remote(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }

    private static String resource(String path) {
        try (InputStream in = ApiVerticle.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path, e);
        }
    }
}
