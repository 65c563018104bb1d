package org.sallyport.broker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything the broker needs to start. Built by {@link ConfigLoader}; defaults live in one place,
 * {@link #withDefaults()}, each with its reason.
 */
public record BrokerConfig(Path dataDir, Http http, Ssh ssh, Database database, Identity identity,
                           Workflow workflow, Audit audit, List<TargetConfig> targets) {

    public record Http(String host, int port, String tlsCertFile, String tlsKeyFile) {
        public boolean tls() {
            return tlsCertFile != null;
        }
    }

    public record Ssh(String host, int port) {}

    /** url null means embedded H2 under the data folder. */
    public record Database(String url, String user, String password) {}

    /** kind {@code local} (accounts below) or {@code oidc} (single sign-on, {@link Oidc}). */
    public record Identity(String kind, Duration tokenTtl, List<LocalAccount> accounts, Oidc oidc) {
        public Identity(String kind, Duration tokenTtl, List<LocalAccount> accounts) {
            this(kind, tokenTtl, accounts, null);
        }
    }

    /**
     * Single sign-on through an OpenID Connect provider such as Keycloak.
     *
     * @param issuer       the realm's issuer URL (discovery at {@code issuer/.well-known/openid-configuration})
     * @param clientId     the portal's confidential client (authorization code with PKCE)
     * @param clientSecret that client's secret; prefer {@code SALLYPORT_OIDC_CLIENT_SECRET} to writing it in a file
     * @param audience     what API bearer tokens must carry in {@code aud}
     * @param cliClientId  the public client {@code sallyport login} uses (device authorization grant)
     */
    public record Oidc(String issuer, String clientId, String clientSecret, String audience, String cliClientId) {
        /** Defaults: audience {@code sallyport}, CLI client {@code sallyport-cli} (the names the realm guide uses). */
        public Oidc withDefaults() {
            return new Oidc(issuer, clientId, clientSecret, audience == null ? "sallyport" : audience,
                    cliClientId == null ? "sallyport-cli" : cliClientId);
        }

        @Override
        public String toString() {
            return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***")
                    + ", audience=" + audience + ", cliClientId=" + cliClientId + "]";
        }
    }

    /** A local account; passwordHash is a PHC-format Argon2id string, never a clear password. */
    public record LocalAccount(String username, String passwordHash, Set<String> roles, String org, Set<String> sites) {}

    /** @param policyDir policy directory (hot-reloaded); null means the bundled camera-maintenance policy */
    public record Workflow(Duration maxDuration, Duration maxStartAhead, Duration startGrace, int defaultApprovals, Path policyDir) {}

    public record Audit(int checkpointEvery) {}

    /**
     * The defaults, in one place.
     * <ul>
     *   <li>HTTP on 127.0.0.1:8080 and SSH on 127.0.0.1:2222: loopback, so that a broker started without
     *       TLS is never reachable from the network by accident.</li>
     *   <li>Tokens live 1 hour: long enough for a maintenance window's paperwork, short enough that a
     *       leaked token soon stops working.</li>
     *   <li>Windows at most 8 hours (a working shift) and at most 30 days ahead; a start may lie up to
     *       1 minute in the past to absorb clock skew between the technician's machine and the broker.</li>
     *   <li>One approval unless a target or policy asks for more.</li>
     *   <li>Policy: the bundled camera-maintenance policy (policy-rules/examples), so a broker without a
     *       policy directory still refuses every export channel and needs a ticket per window.</li>
     *   <li>A signed audit checkpoint every 100 events (and at shutdown): bounds how much of the chain's
     *       tail could be cut without a checkpoint noticing.</li>
     * </ul>
     */
    public static BrokerConfig withDefaults() {
        return new BrokerConfig(
                Path.of("sallyport-data"),
                new Http("127.0.0.1", 8080, null, null),
                new Ssh("127.0.0.1", 2222),
                new Database(null, null, null),
                new Identity("local", Duration.ofHours(1), List.of()),
                new Workflow(Duration.ofHours(8), Duration.ofDays(30), Duration.ofMinutes(1), 1, null),
                new Audit(100),
                List.of());
    }

    public BrokerConfig withDataDir(Path dir) {
        return new BrokerConfig(dir, http, ssh, database, identity, workflow, audit, targets);
    }

    public BrokerConfig withHttp(Http h) {
        return new BrokerConfig(dataDir, h, ssh, database, identity, workflow, audit, targets);
    }

    public BrokerConfig withSsh(Ssh s) {
        return new BrokerConfig(dataDir, http, s, database, identity, workflow, audit, targets);
    }

    public BrokerConfig withDatabase(Database d) {
        return new BrokerConfig(dataDir, http, ssh, d, identity, workflow, audit, targets);
    }

    public BrokerConfig withIdentity(Identity i) {
        return new BrokerConfig(dataDir, http, ssh, database, i, workflow, audit, targets);
    }

    public BrokerConfig withWorkflow(Workflow w) {
        return new BrokerConfig(dataDir, http, ssh, database, identity, w, audit, targets);
    }

    public BrokerConfig withAudit(Audit a) {
        return new BrokerConfig(dataDir, http, ssh, database, identity, workflow, a, targets);
    }

    public BrokerConfig withTargets(List<TargetConfig> t) {
        return new BrokerConfig(dataDir, http, ssh, database, identity, workflow, audit, List.copyOf(t));
    }
}
