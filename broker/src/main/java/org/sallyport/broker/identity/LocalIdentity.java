package org.sallyport.broker.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.UnauthenticatedException;

/**
 * Local accounts with Argon2id password hashes, issuing short-lived HS256 JWTs (Vert.x auth-jwt) signed
 * with a secret kept in the data folder.
 *
 * <p>Security guarantees: a token names its user, roles, org and sites, expires after the configured TTL,
 * and is accepted only while the account still exists with the same roles (removing an account ends its
 * tokens at once). Unknown users cost the same hashing time as wrong passwords. Restrictions: replicas
 * must share the token secret.
 */
public final class LocalIdentity implements Identity {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalIdentity.class);
    private static final String ISSUER = "sallyport";
    private static final String AUDIENCE = "sallyport-api";
    /** Used for unknown users so they cost the same time as a wrong password. */
    private static final String DUMMY_HASH = PasswordHasher.hash("not-a-password".toCharArray());

    private final Vertx vertx;
    private final JWTAuth jwt;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, BrokerConfig.LocalAccount> accounts;

    public LocalIdentity(Vertx vertx, byte[] tokenSecret, Duration ttl, List<BrokerConfig.LocalAccount> accounts, Clock clock) {
        this.vertx = vertx;
        this.ttl = ttl;
        this.clock = clock;
        this.accounts = accounts.stream().collect(Collectors.toUnmodifiableMap(BrokerConfig.LocalAccount::username, Function.identity()));
        this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
                        .setBuffer(Base64.getEncoder().encodeToString(tokenSecret)))
                .setJWTOptions(new JWTOptions().setIssuer(ISSUER).addAudience(AUDIENCE)));
    }

    @Override
    public Future<Login> login(String username, char[] password) {
        BrokerConfig.LocalAccount account = accounts.get(username);
        return vertx.executeBlocking(() -> {
            boolean ok = PasswordHasher.verify(password, account == null ? DUMMY_HASH : account.passwordHash());
            java.util.Arrays.fill(password, '\0');
            if (!ok || account == null) throw new UnauthenticatedException("unknown user or wrong password");
            Principal p = principal(account);
            var now = clock.instant();
            String token = jwt.generateToken(new JsonObject()
                            .put("sub", p.username())
                            .put("roles", new JsonArray(p.roles().stream().map(Role::wireName).sorted().toList()))
                            .put("org", p.org())
                            .put("sites", new JsonArray(p.sites().stream().sorted().toList())),
                    new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE))
                            .setExpiresInSeconds((int) ttl.toSeconds()));
            return new Login(token, now.plus(ttl), p);
        }, false);
    }

    @Override
    public Future<Principal> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Future.failedFuture(new UnauthenticatedException("missing bearer token"));
        }
        return jwt.authenticate(new TokenCredentials(bearerToken))
                .recover(e -> {
                    LOG.debug("token refused: {}", e.getMessage());
                    return Future.failedFuture(new UnauthenticatedException("invalid or expired token"));
                })
                .compose(user -> {
                    // Vert.x keeps the verified JWT payload under the "accessToken" attribute.
                    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
                    Long exp = claims.getLong("exp");
                    if (exp == null || exp <= clock.instant().getEpochSecond()) {
                        return Future.failedFuture(new UnauthenticatedException("invalid or expired token"));
                    }
                    BrokerConfig.LocalAccount account = accounts.get(claims.getString("sub"));
                    if (account == null) return Future.failedFuture(new UnauthenticatedException("account no longer exists"));
                    Principal current = principal(account);
                    Set<String> tokenRoles = new HashSet<>(claims.getJsonArray("roles", new JsonArray()).getList());
                    Set<String> accountRoles = current.roles().stream().map(Role::wireName).collect(Collectors.toSet());
                    if (!tokenRoles.equals(accountRoles)) {
                        return Future.failedFuture(new UnauthenticatedException("account changed since the token was issued; sign in again"));
                    }
                    return Future.succeededFuture(current);
                });
    }

    static Principal principal(BrokerConfig.LocalAccount a) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : a.roles()) roles.add(Role.fromWireName(r).orElseThrow());
        return new Principal(a.username(), roles, a.org(), a.sites());
    }
}
