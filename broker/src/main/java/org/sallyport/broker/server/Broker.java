package org.sallyport.broker.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.config.ConfigException;
import org.sallyport.broker.policy.BrokerPolicy;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.credentials.CredentialVault;
import org.sallyport.broker.domain.Target;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.gateway.PolicySessionGuards;
import org.sallyport.broker.gateway.RulesSessionGuard;
import org.sallyport.broker.gateway.SessionGuard;
import org.sallyport.broker.gateway.Gateway;
import org.sallyport.broker.gateway.GatewaySessions;
import org.sallyport.broker.gateway.LiveFeed;
import org.sallyport.broker.gateway.Recordings;
import org.sallyport.broker.gateway.SessionRecordings;
import org.sallyport.broker.gateway.SshKeys;
import org.sallyport.broker.http.ApiVerticle;
import org.sallyport.broker.http.HttpSessionRoutes;
import org.sallyport.broker.httpproxy.DefaultCameraHttpGuard;
import org.sallyport.broker.httpproxy.HttpProxyHandler;
import org.sallyport.broker.httpproxy.HttpProxySettings;
import org.sallyport.broker.httpproxy.HttpSessions;
import org.sallyport.broker.http.SessionRoutes;
import org.sallyport.broker.http.OidcRoutes;
import org.sallyport.broker.identity.Identity;
import org.sallyport.broker.identity.LocalIdentity;
import org.sallyport.broker.identity.OidcIdentity;
import org.sallyport.broker.store.JdbcStore;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.workflow.TargetCatalog;
import org.sallyport.broker.workflow.WorkflowService;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.crypto.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running broker. {@link #start} fails (and leaves nothing running) if any part that the broker must
 * not run without is missing: keys, store, audit log, a credential for every target.
 *
 * <p>Data folder layout: {@code keys/audit-signing.pem} (Ed25519, 0600), {@code keys/audit-signing.pub.pem},
 * {@code keys/token.key}, {@code keys/master.key}, {@code credentials.vault}, {@code db/} (embedded H2).
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** Safety net beside the per-request timers: a missed timer is caught within this period. */
    private static final long SWEEP_PERIOD_MS = TimeUnit.SECONDS.toMillis(30);

    private final BrokerConfig config;
    private final Vertx vertx;
    private final Store store;
    private final AuditLog audit;
    private final WorkflowService workflow;
    private final CredentialVault vault;
    private final ApiVerticle api;
    private final Gateway gateway;
    private final Clock clock;
    private final SessionRecordings recorder;
    private boolean closed;
    private HttpSessions httpSessions;

    private Broker(BrokerConfig config, Vertx vertx, Store store, AuditLog audit, WorkflowService workflow,
                   CredentialVault vault, ApiVerticle api, Gateway gateway, SessionRecordings recorder, Clock clock) {
        this.recorder = recorder;
        this.config = config;
        this.vertx = vertx;
        this.store = store;
        this.audit = audit;
        this.workflow = workflow;
        this.vault = vault;
        this.api = api;
        this.gateway = gateway;
        this.clock = clock;
    }

    /** Session recordings: {@code <data>/recordings/<recording-id>.sprec}. */
    public static Path recordingsDir(Path dataDir) {
        return dataDir.resolve("recordings");
    }

    /** The key-encryption key that wraps every recording's data key (32 bytes, 0600). */
    public static Path recordingKekFile(Path dataDir) {
        return dataDir.resolve("keys/recording-kek.key");
    }

    public static Path signingKeyFile(Path dataDir) {
        return dataDir.resolve("keys/audit-signing.pem");
    }

    public static Path publicKeyFile(Path dataDir) {
        return dataDir.resolve("keys/audit-signing.pub.pem");
    }

    public static CredentialVault openVault(Path dataDir) {
        return CredentialVault.open(dataDir.resolve("credentials.vault"), KeyFiles.loadOrCreateSecret(dataDir.resolve("keys/master.key"), 32));
    }

    public static Store openStore(BrokerConfig config) {
        var db = config.database();
        if (db.url() == null) return JdbcStore.open(JdbcStore.h2FileUrl(config.dataDir()), "sa", "");
        return JdbcStore.open(db.url(), db.user(), db.password());
    }

    /** Starts a broker; blocks until it listens or has failed. */
    public static Broker start(BrokerConfig config, Clock clock) {
        return start(config, clock, r -> r);
    }

    /**
     * Starts a broker whose session recorder is wrapped by {@code recorderLayer} (tests inject recorder
     * faults this way; production passes the identity).
     */
    public static Broker start(BrokerConfig config, Clock clock, java.util.function.UnaryOperator<Recordings> recorderLayer) {
        return start(config, clock, recorderLayer, null);
    }

    /**
     * Starts a broker whose sessions are guarded by the rules {@code guardRules} supplies at each session start;
     * null: the rules the YAML policy in force gives each session (production).
     */
    public static Broker start(BrokerConfig config, Clock clock, java.util.function.UnaryOperator<Recordings> recorderLayer,
                               java.util.function.Supplier<org.sallyport.policy.guard.GuardRules> guardRules) {
        Path data = config.dataDir();
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + data, e);
        }
        SigningKey signingKey = KeyFiles.loadOrCreateSigningKey(signingKeyFile(data));
        KeyFiles.writePublicKey(publicKeyFile(data), signingKey.verifyingKey());
        byte[] tokenSecret = KeyFiles.loadOrCreateSecret(data.resolve("keys/token.key"), 32);
        CredentialVault vault = openVault(data);
        List<Target> targets = targets(config, vault);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Store store = openStore(config);
        Vertx vertx = null;
        Gateway gateway = null;
        SessionRecordings recorder = null;
        HttpSessions httpSessions = null;
        try {
            vertx = Vertx.builder()
                    .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                    .withMetrics(new MicrometerMetricsFactory(registry))
                    .build();
            AuditLog audit = new AuditLog(store, signingKey, config.audit().checkpointEvery(), clock);
            BrokerPolicy policy = BrokerPolicy.open(config.workflow().policyDir(), audit);
            WorkflowService workflow = new WorkflowService(store, audit, new TargetCatalog(targets), config.workflow(), clock, registry,
                    policy::current);
            audit.record(new AuditEventDraft("system", "broker.started", "broker", null, Map.of(
                    "store", store.describe(), "targets", Integer.toString(targets.size()),
                    "keyId", signingKey.keyId(), "policy", policy.describe())));
            LOG.info("policy in force: {}", policy.describe());
            policy.startPolling(vertx);
            var expired = workflow.expireDue();
            if (!expired.isEmpty()) LOG.info("start-up sweep expired {} request(s)", expired.size());
            OidcIdentity oidc = "oidc".equals(config.identity().kind())
                    ? OidcIdentity.discover(vertx, config.identity().oidc()).await(30, TimeUnit.SECONDS) : null;
            Identity identity = oidc != null ? oidc
                    : new LocalIdentity(vertx, tokenSecret, config.identity().tokenTtl(), config.identity().accounts(), clock);
            OidcRoutes oidcRoutes = new OidcRoutes(vertx, oidc, KeyFiles.loadOrCreateSecret(data.resolve("keys/oidc-cookie.key"), 32),
                    audit, clock, config.http().tls());
            SshKeys sshKeys = SshKeys.loadOrCreate(data);
            TargetCatalog catalog = workflow.targets();
            GatewaySessions sessions = new GatewaySessions(store, audit, catalog, clock);
            byte[] kek = KeyFiles.loadOrCreateSecret(recordingKekFile(data), 32);
            recorder = SessionRecordings.open(recordingsDir(data), kek, signingKey, clock);
            Recordings recordings = recorderLayer.apply(recorder);
            // Each session's guard is built from the YAML policy in force when it starts (hot reloads apply to new
            // sessions), unless the caller fixed the rules (tests, the gateway benchmark).
            SessionGuard.Factory guards = guardRules == null
                    ? PolicySessionGuards.factory(policy::current, store, catalog, clock)
                    : RulesSessionGuard.factory(guardRules, clock);
            gateway = new Gateway(config.ssh(), sshKeys, sessions, guards, recordings, vault, catalog, audit,
                    new LiveFeed(vertx), clock);
            Gateway gw = gateway;
            httpSessions = new HttpSessions(store, audit, catalog, sessions, recorder, vault, HttpProxySettings.withDefaults().withSystemOverrides(), clock);
            HttpSessions web = httpSessions;
            workflow.onEndedEarly((requestId, state) -> {
                SessionEndReason why = state == RequestState.REVOKED ? SessionEndReason.REVOKED : SessionEndReason.TERMINATED_BY_SUPERVISOR;
                gw.grantsEnded(requestId, why);
                web.grantsEnded(requestId, why);
            });
            SessionRoutes sessionRoutes = new SessionRoutes(vertx, gateway, sessions, sshKeys, config.ssh().host(),
                    config.identity().tokenTtl(), audit, clock).withHttpSessions(httpSessions);
            HttpProxyHandler httpProxy = new HttpProxyHandler(vertx, httpSessions, new DefaultCameraHttpGuard(), audit, clock);
            var portal = new org.sallyport.broker.portal.PortalRoutes(vertx, new org.sallyport.broker.portal.PortalSessions(config.http().tls(), clock),
                    identity, workflow, sessions, gateway, store, audit, new org.sallyport.broker.portal.SessionPlayback(store, audit,
                    recordingsDir(data), KeyFiles.loadOrCreateSecret(recordingKekFile(data), 32)), clock);
            if (oidc != null) { // single sign-on: the portal's sign-in goes through the provider and ends in a portal session
                portal.ssoLink("/auth/oidc/login?returnTo=/portal/queue").afterLogout("/auth/oidc/logout");
                oidcRoutes.onLogin((ctx, p) -> {
                    portal.sessions().start(ctx, p);
                    OidcRoutes.continueTo(ctx, OidcRoutes.returnTo(ctx));
                }).onLogout(portal.sessions()::end);
            }
            ApiVerticle api = new ApiVerticle(config.http(), identity, workflow, audit, store, registry, clock, sessionRoutes, portal, oidcRoutes)
                    .withHttpSessions(new HttpSessionRoutes(vertx, httpSessions, httpProxy));
            api.mount(new org.sallyport.broker.http.EvidenceRoutes(vertx, audit, new org.sallyport.broker.audit.EvidenceExporter(
                    store, signingKey, recordingsDir(data), Map.of(SessionRecordings.kekId(kek), kek), clock),
                    new org.sallyport.broker.report.ComplianceReportBuilder(store, signingKey.keyId(), clock))::mount);
            vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
            int sshPort = gateway.start();
            LOG.info("SSH gateway listening on {}:{}", config.ssh().host(), sshPort);
            Broker broker = new Broker(config, vertx, store, audit, workflow, vault, api, gateway, recorder, clock);
            broker.httpSessions = httpSessions;
            broker.scheduleExpiry();
            LOG.info("broker listening on {}://{}:{} (store: {})", config.http().tls() ? "https" : "http",
                    config.http().host(), api.actualPort(), store.describe());
            return broker;
        } catch (Exception e) {
            if (gateway != null) gateway.close();
            if (httpSessions != null) httpSessions.close();
            if (recorder != null) recorder.close();
            if (vertx != null) vertx.close();
            store.close();
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("broker failed to start: " + e.getMessage(), e);
        }
    }

    private static List<Target> targets(BrokerConfig config, CredentialVault vault) {
        List<Target> out = new ArrayList<>();
        for (TargetConfig t : config.targets()) {
            if (!vault.contains(t.credentialRef())) {
                throw new ConfigException("target " + t.id() + ": credential '" + t.credentialRef()
                        + "' is not in the vault; add it with: sallyport credentials put --data " + config.dataDir() + " " + t.credentialRef());
            }
            out.add(new Target(t.id(), t.site(), t.kind() == null ? "device" : t.kind(), t.address(),
                    t.sshPort() == null ? 0 : t.sshPort(), t.httpPort() == null ? 0 : t.httpPort(), t.hostKey(),
                    t.deviceUser(), t.credentialRef(), new HashSet<>(t.orgs()), t.tags() == null ? null : new HashSet<>(t.tags()),
                    t.approvalsRequired() == null ? config.workflow().defaultApprovals() : t.approvalsRequired()));
        }
        return out;
    }

    /**
     * Expiry runs at start-up (above), at each open window's end, and every 30 s as a safety net. Grant
     * checks compare with the clock anyway, so a late sweep never makes an expired grant usable.
     */
    private void scheduleExpiry() {
        vertx.setPeriodic(SWEEP_PERIOD_MS, id -> sweep());
        workflow.onNewWindow(this::expireAt);
        vertx.executeBlocking(workflow::openWindowEnds, false).onSuccess(ends -> ends.forEach(this::expireAt));
    }

    /** Sets a one-shot timer for a window end; called for every new request too. */
    public void expireAt(Instant end) {
        long delay = Math.max(1, Duration.between(clock.instant(), end).toMillis() + 1);
        vertx.setTimer(delay, id -> sweep());
    }

    private void sweep() {
        vertx.executeBlocking(workflow::expireDue, false)
                .onFailure(e -> LOG.error("expiry sweep failed; grants stay unusable after notAfter regardless", e));
    }

    public int sshPort() {
        return gateway.port();
    }

    public Gateway gateway() {
        return gateway;
    }

    public int httpPort() {
        return api.actualPort();
    }

    /** Live HTTP sessions to device web UIs. */
    public HttpSessions httpSessions() {
        return httpSessions;
    }

    public WorkflowService workflow() {
        return workflow;
    }

    public AuditLog audit() {
        return audit;
    }

    public Store store() {
        return store;
    }

    public CredentialVault vault() {
        return vault;
    }

    public BrokerConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Stops accepting requests, records the stop, signs a final checkpoint, closes the store. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        gateway.close();
        if (httpSessions != null) httpSessions.close();
        recorder.close();
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("vert.x did not close cleanly", e);
        }
        try {
            audit.record(new AuditEventDraft("system", "broker.stopped", "broker", null, Map.of()));
            audit.checkpointNow();
        } catch (RuntimeException e) {
            LOG.error("could not record broker stop or sign the final checkpoint", e);
        } finally {
            store.close();
        }
    }
}
