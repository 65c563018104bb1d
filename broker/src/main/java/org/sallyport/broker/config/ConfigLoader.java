package org.sallyport.broker.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads broker configuration from YAML, applies {@code SALLYPORT_*} environment overrides, and validates
 * the result. Unknown keys are errors (a typo must not silently fall back to a default).
 *
 * <p>Environment overrides: {@link #ENV_OVERRIDES}.
 */
public final class ConfigLoader {

    /** Environment variable -> YAML path it overrides. */
    public static final Map<String, String> ENV_OVERRIDES = Map.of(
            "SALLYPORT_DATA_DIR", "dataDir",
            "SALLYPORT_HTTP_HOST", "http.host",
            "SALLYPORT_HTTP_PORT", "http.port",
            "SALLYPORT_SSH_HOST", "ssh.host",
            "SALLYPORT_SSH_PORT", "ssh.port",
            "SALLYPORT_DATABASE_URL", "database.url",
            "SALLYPORT_DATABASE_USER", "database.user",
            "SALLYPORT_DATABASE_PASSWORD", "database.password",
            "SALLYPORT_POLICY_DIR", "workflow.policyDir",
            "SALLYPORT_OIDC_CLIENT_SECRET", "identity.oidc.clientSecret");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private ConfigLoader() {}

    /** File format; every field optional, absent means the default. */
    record FileModel(String dataDir, HttpModel http, SshModel ssh, BrokerConfig.Database database,
                     IdentityModel identity, WorkflowModel workflow, BrokerConfig.Audit audit,
                     List<TargetConfig> targets, String targetsFile) {}

    record HttpModel(String host, Integer port, TlsModel tls) {}

    record TlsModel(String certFile, String keyFile) {}

    record SshModel(String host, Integer port) {}

    record IdentityModel(String kind, Duration tokenTtl, List<BrokerConfig.LocalAccount> accounts, BrokerConfig.Oidc oidc) {}

    record WorkflowModel(Duration maxDuration, Duration maxStartAhead, Duration startGrace, Integer defaultApprovals, String policyDir) {}

    public static BrokerConfig load(Path file, Map<String, String> env) {
        if (!Files.isRegularFile(file)) throw new ConfigException(file + ": no such file");
        JsonNode tree;
        try {
            tree = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + where(e.getLocation()) + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) tree = JsonNodeFactory.instance.objectNode();
        if (!tree.isObject()) throw new ConfigException(file + ": top level must be a mapping");
        applyEnv((ObjectNode) tree, env);
        FileModel model;
        try {
            model = YAML.treeToValue(tree, FileModel.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + path(e) + "' (known: " + e.getKnownPropertyIds() + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + path(e) + ": " + firstLine(e.getOriginalMessage()));
        }
        BrokerConfig base = BrokerConfig.withDefaults();
        Path configDir = file.toAbsolutePath().getParent();
        BrokerConfig cfg = merge(base, model, configDir);
        if (model.targetsFile() != null) {
            List<TargetConfig> all = new ArrayList<>(cfg.targets());
            all.addAll(loadTargets(configDir.resolve(model.targetsFile())));
            cfg = cfg.withTargets(all);
        }
        return validate(cfg, file.toString());
    }

    /** Reads a YAML list of targets (the format of {@code --targets FILE}). */
    public static List<TargetConfig> loadTargets(Path file) {
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree == null || !tree.isArray()) throw new ConfigException(file + ": must be a YAML list of targets");
            List<TargetConfig> out = new ArrayList<>();
            for (JsonNode n : tree) out.add(YAML.treeToValue(n, TargetConfig.class));
            return out;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + path(e) + "'");
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static BrokerConfig merge(BrokerConfig d, FileModel m, Path configDir) {
        BrokerConfig c = d;
        if (m.dataDir() != null) c = c.withDataDir(configDir.resolve(m.dataDir()));
        if (m.http() != null) {
            var h = m.http();
            c = c.withHttp(new BrokerConfig.Http(or(h.host(), d.http().host()), or(h.port(), d.http().port()),
                    h.tls() == null ? null : resolve(configDir, h.tls().certFile()),
                    h.tls() == null ? null : resolve(configDir, h.tls().keyFile())));
        }
        if (m.ssh() != null) {
            c = c.withSsh(new BrokerConfig.Ssh(or(m.ssh().host(), d.ssh().host()), or(m.ssh().port(), d.ssh().port())));
        }
        if (m.database() != null) c = c.withDatabase(m.database());
        if (m.identity() != null) {
            var i = m.identity();
            c = c.withIdentity(new BrokerConfig.Identity(or(i.kind(), d.identity().kind()),
                    or(i.tokenTtl(), d.identity().tokenTtl()), i.accounts() == null ? List.of() : i.accounts(),
                    i.oidc() == null ? null : i.oidc().withDefaults()));
        }
        if (m.workflow() != null) {
            var w = m.workflow();
            var dw = d.workflow();
            c = c.withWorkflow(new BrokerConfig.Workflow(or(w.maxDuration(), dw.maxDuration()),
                    or(w.maxStartAhead(), dw.maxStartAhead()), or(w.startGrace(), dw.startGrace()),
                    or(w.defaultApprovals(), dw.defaultApprovals()),
                    w.policyDir() == null ? dw.policyDir() : configDir.resolve(w.policyDir())));
        }
        if (m.audit() != null) c = c.withAudit(m.audit());
        if (m.targets() != null) c = c.withTargets(m.targets());
        return c;
    }

    /** Checks every field; the first problem found is thrown with its path. */
    public static BrokerConfig validate(BrokerConfig c, String source) {
        UnaryOperator<String> at = f -> source + ": " + f;
        if (c.dataDir() == null) throw new ConfigException(at.apply("dataDir: required"));
        port(c.http().port(), at.apply("http.port"));
        port(c.ssh().port(), at.apply("ssh.port"));
        if ((c.http().tlsCertFile() == null) != (c.http().tlsKeyFile() == null)) {
            throw new ConfigException(at.apply("http.tls: certFile and keyFile go together"));
        }
        if (c.http().tls()) {
            for (String f : List.of(c.http().tlsCertFile(), c.http().tlsKeyFile())) {
                if (!Files.isReadable(Path.of(f))) throw new ConfigException(at.apply("http.tls: cannot read " + f));
            }
        } else if (!isLoopback(c.http().host())) {
            throw new ConfigException(at.apply("http.host: " + c.http().host()
                    + " is not loopback; plain HTTP is only allowed on loopback, configure http.tls"));
        }
        if ("oidc".equals(c.identity().kind())) {
            OidcConfigCheck.check(c.identity().oidc(), at);
        } else if (!"local".equals(c.identity().kind())) {
            throw new ConfigException(at.apply("identity.kind: '" + c.identity().kind() + "' is not supported (supported: local, oidc)"));
        }
        positive(c.identity().tokenTtl(), at.apply("identity.tokenTtl"));
        if (c.identity().tokenTtl().compareTo(Duration.ofHours(12)) > 0) {
            throw new ConfigException(at.apply("identity.tokenTtl: at most PT12H"));
        }
        Set<String> users = new HashSet<>();
        for (int i = 0; i < c.identity().accounts().size(); i++) {
            var a = c.identity().accounts().get(i);
            String p = "identity.accounts[" + i + "]";
            if (a.username() == null || !ID.matcher(a.username()).matches()) {
                throw new ConfigException(at.apply(p + ".username: required, lowercase letters, digits, . _ -"));
            }
            if (!users.add(a.username())) throw new ConfigException(at.apply(p + ".username: duplicate " + a.username()));
            if (a.passwordHash() == null || !a.passwordHash().startsWith("$argon2id$")) {
                throw new ConfigException(at.apply(p + ".passwordHash: must be an Argon2id hash ($argon2id$...); "
                        + "create one with 'sallyport hash-password'"));
            }
            if (a.roles() == null || a.roles().isEmpty()) throw new ConfigException(at.apply(p + ".roles: at least one role"));
            for (String r : a.roles()) {
                if (org.sallyport.broker.domain.Role.fromWireName(r).isEmpty()) {
                    throw new ConfigException(at.apply(p + ".roles: unknown role '" + r
                            + "' (vendor-technician, supervisor, inspector, admin)"));
                }
            }
            if (a.roles().contains("vendor-technician") && (a.org() == null || a.org().isBlank())) {
                throw new ConfigException(at.apply(p + ".org: required for a vendor-technician"));
            }
        }
        var w = c.workflow();
        positive(w.maxDuration(), at.apply("workflow.maxDuration"));
        positive(w.maxStartAhead(), at.apply("workflow.maxStartAhead"));
        if (w.startGrace() == null || w.startGrace().isNegative()) throw new ConfigException(at.apply("workflow.startGrace: must be >= 0"));
        if (w.defaultApprovals() < 1 || w.defaultApprovals() > 5) {
            throw new ConfigException(at.apply("workflow.defaultApprovals: between 1 and 5"));
        }
        if (c.audit().checkpointEvery() < 1) throw new ConfigException(at.apply("audit.checkpointEvery: at least 1"));
        validateTargets(c.targets(), source);
        return c;
    }

    static void validateTargets(List<TargetConfig> targets, String source) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetConfig t = targets.get(i);
            String p = source + ": targets[" + i + "]";
            if (t.id() == null || !ID.matcher(t.id()).matches()) {
                throw new ConfigException(p + ".id: required, lowercase letters, digits, . _ - (at most 63)");
            }
            p = source + ": target " + t.id();
            if (!ids.add(t.id())) throw new ConfigException(p + ": duplicate id");
            if (t.site() == null || !ID.matcher(t.site()).matches()) throw new ConfigException(p + ": site: required");
            if (t.address() == null || t.address().isBlank()) throw new ConfigException(p + ": address: required");
            if (t.sshPort() != null) port(t.sshPort(), p + ": sshPort");
            if (t.httpPort() != null) port(t.httpPort(), p + ": httpPort");
            if (t.sshPort() != null && (t.hostKey() == null || !(t.hostKey().startsWith("ssh-") || t.hostKey().startsWith("ecdsa-sha2-")))) {
                throw new ConfigException(p + ": hostKey: an OpenSSH public key line (ssh-ed25519 AAAA... or ecdsa-sha2-nistp256 AAAA...) is required to pin the device");
            }
            if (t.sshPort() != null && (t.deviceUser() == null || t.deviceUser().isBlank())) {
                throw new ConfigException(p + ": deviceUser: required with sshPort (the account the broker logs in as)");
            }
            if (t.credentialRef() == null || t.credentialRef().isBlank()) throw new ConfigException(p + ": credentialRef: required");
            if (t.orgs() == null || t.orgs().isEmpty()) throw new ConfigException(p + ": orgs: at least one contracted vendor org");
            if (t.approvalsRequired() != null && (t.approvalsRequired() < 1 || t.approvalsRequired() > 5)) {
                throw new ConfigException(p + ": approvalsRequired: between 1 and 5");
            }
        }
    }

    private static void applyEnv(ObjectNode root, Map<String, String> env) {
        Map<String, String> sorted = new LinkedHashMap<>(ENV_OVERRIDES);
        sorted.forEach((var, path) -> {
            String value = env.get(var);
            if (value == null || value.isEmpty()) return;
            String[] parts = path.split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = node.get(parts[i]);
                if (!(child instanceof ObjectNode)) {
                    child = node.putObject(parts[i]);
                }
                node = (ObjectNode) child;
            }
            node.put(parts[parts.length - 1], value);
        });
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private static void port(int port, String what) {
        if (port < 0 || port > 65535) throw new ConfigException(what + ": " + port + " is not a port (0-65535)");
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) throw new ConfigException(what + ": must be a positive ISO-8601 duration");
    }

    private static <T> T or(T v, T d) {
        return v != null ? v : d;
    }

    private static String resolve(Path dir, String f) {
        return f == null ? null : dir.resolve(f).toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : ":" + loc.getLineNr();
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            StringBuilder sb = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    if (!sb.isEmpty()) sb.append('.');
                    sb.append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
        return "?";
    }
}
