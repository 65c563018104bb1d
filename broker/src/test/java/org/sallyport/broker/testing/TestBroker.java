package org.sallyport.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.config.ConfigLoader;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.identity.PasswordHasher;
import org.sallyport.broker.server.Broker;

/**
 * A real broker on an ephemeral loopback port with the demo's people plus a few more, targets on two
 * sites, and a {@link MutableClock}; plus a small HTTP client that speaks its API.
 */
public final class TestBroker implements AutoCloseable {
    public static final String PASSWORD = "correct-horse-battery";
    private static final String HASH = PasswordHasher.hash(PASSWORD.toCharArray());
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Path dataDir;
    public final MutableClock clock;
    private BrokerConfig config;
    private Broker broker;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // as the CLI's ApiClient
    private final Map<String, String> tokens = new HashMap<>();

    public TestBroker(Path dataDir, MutableClock clock) {
        this(dataDir, clock, null);
    }

    public TestBroker(Path dataDir, MutableClock clock, BrokerConfig.Database database) {
        this(dataDir, clock, database, List.of(), Map.of());
    }

    /** With extra targets (e.g. a real device) and their device passwords, put into the vault. */
    public TestBroker(Path dataDir, MutableClock clock, List<TargetConfig> extraTargets, Map<String, String> extraSecrets) {
        this(dataDir, clock, null, extraTargets, extraSecrets);
    }

    private TestBroker(Path dataDir, MutableClock clock, BrokerConfig.Database database, List<TargetConfig> extraTargets,
                       Map<String, String> extraSecrets) {
        this.dataDir = dataDir;
        this.clock = clock;
        BrokerConfig d = BrokerConfig.withDefaults();
        BrokerConfig c = d.withDataDir(dataDir)
                .withHttp(new BrokerConfig.Http("127.0.0.1", 0, null, null))
                .withSsh(new BrokerConfig.Ssh("127.0.0.1", 0))
                .withIdentity(new BrokerConfig.Identity("local", d.identity().tokenTtl(), accounts()))
                .withAudit(new BrokerConfig.Audit(5))
                .withTargets(concat(targets(), extraTargets));
        if (database != null) c = c.withDatabase(database);
        this.config = ConfigLoader.validate(c, "test");
        var vault = Broker.openVault(dataDir);
        for (TargetConfig t : config.targets()) {
            vault.put(t.credentialRef(), extraSecrets.getOrDefault(t.credentialRef(), "secret-of-" + t.id()).toCharArray());
        }
    }

    private static List<TargetConfig> concat(List<TargetConfig> a, List<TargetConfig> b) {
        List<TargetConfig> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static List<BrokerConfig.LocalAccount> accounts() {
        List<BrokerConfig.LocalAccount> a = new ArrayList<>();
        a.add(account("tech", "vendor-technician", "acme-optics", Set.of()));
        a.add(account("tech-b", "vendor-technician", "acme-optics", Set.of()));
        a.add(account("tech2", "vendor-technician", "borealis-systems", Set.of()));
        a.add(account("supervisor", "supervisor", null, Set.of("anzalduas")));
        a.add(account("supervisor2", "supervisor", null, Set.of("anzalduas")));
        a.add(account("supervisor-north", "supervisor", null, Set.of("north")));
        a.add(account("inspector", "inspector", null, Set.of()));
        a.add(account("admin", "admin", null, Set.of()));
        return a;
    }

    private static BrokerConfig.LocalAccount account(String user, String role, String org, Set<String> sites) {
        return new BrokerConfig.LocalAccount(user, HASH, Set.of(role), org, sites);
    }

    static List<TargetConfig> targets() {
        return List.of(
                new TargetConfig("cam-anz-01", "anzalduas", "ip-camera", "127.0.0.1", null, null, null, null, "cam-anz-01/maint",
                        List.of("acme-optics"), List.of("face-capture"), null),
                new TargetConfig("lpr-anz-02", "anzalduas", "plate-reader", "127.0.0.1", null, null, null, null, "lpr-anz-02/maint",
                        List.of("acme-optics"), List.of(), 2),
                new TargetConfig("cam-north-01", "north", "ip-camera", "127.0.0.1", null, null, null, null, "cam-north-01/maint",
                        List.of("acme-optics", "borealis-systems"), List.of(), null));
    }

    private java.util.function.UnaryOperator<org.sallyport.broker.gateway.Recordings> recorderLayer = r -> r;

    /** Wraps the broker's session recorder (fault injection) for the next start. */
    public TestBroker recorder(java.util.function.UnaryOperator<org.sallyport.broker.gateway.Recordings> layer) {
        this.recorderLayer = layer;
        return this;
    }

    private Path policyDir;

    /** Uses the policy directory {@code dir} (hot-reloaded) instead of the bundled default, for the next start. */
    public TestBroker policyDir(Path dir) {
        this.policyDir = dir;
        return this;
    }

    /** null: the guard rules the policy in force gives each session, as in production. */
    private java.util.function.Supplier<org.sallyport.policy.guard.GuardRules> guardRules;

    /** Fixed live-guard rules for the next start, instead of the policy's (default: the policy's). */
    public TestBroker guardRules(java.util.function.Supplier<org.sallyport.policy.guard.GuardRules> rules) {
        this.guardRules = rules;
        return this;
    }

    /** Replaces the identity settings (e.g. single sign-on against a test Keycloak) for the next start. */
    public TestBroker identity(BrokerConfig.Identity identity) {
        this.config = ConfigLoader.validate(config.withIdentity(identity), "test");
        return this;
    }

    public TestBroker start() {
        BrokerConfig c = config;
        if (policyDir != null) {
            var w = c.workflow();
            c = c.withWorkflow(new BrokerConfig.Workflow(w.maxDuration(), w.maxStartAhead(), w.startGrace(), w.defaultApprovals(), policyDir));
        }
        broker = Broker.start(c, clock, recorderLayer, guardRules);
        tokens.clear();
        return this;
    }

    public Broker broker() {
        return broker;
    }

    public String url() {
        return "http://127.0.0.1:" + broker.httpPort();
    }

    @Override
    public void close() {
        if (broker != null) broker.close();
        broker = null;
    }

    // ---------------------------------------------------------------- client

    public record Response(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public String token(String user) {
        return tokens.computeIfAbsent(user, u -> {
            Response r = send("POST", "/api/auth/login", null, "{\"username\":\"" + u + "\",\"password\":\"" + PASSWORD + "\"}");
            if (r.status() != 200) throw new AssertionError("login " + u + " failed: " + r);
            return r.json().get("accessToken").asText();
        });
    }

    public Response get(String user, String path) {
        return send("GET", path, user == null ? null : token(user), null);
    }

    public Response post(String user, String path, String json) {
        return send("POST", path, user == null ? null : token(user), json);
    }

    public Response send(String method, String path, String token, String body) {
        return raw(method, path, token, body, body == null ? null : "application/json");
    }

    public Response raw(String method, String path, String token, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(java.time.Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates a request as {@code user} and returns its id. */
    public String request(String user, String target, String duration) {
        Response r = post(user, "/api/requests", "{\"targets\":[\"" + target + "\"],\"duration\":\"" + duration
                + "\",\"reason\":\"replace focus motor\",\"ticket\":\"INC-4711\"}");
        if (r.status() != 201) throw new AssertionError("request failed: " + r);
        return r.json().get("id").asText();
    }
}
