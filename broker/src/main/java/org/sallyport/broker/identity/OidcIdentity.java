package org.sallyport.broker.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.util.List;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.error.BrokerException;
import org.sallyport.broker.error.UnauthenticatedException;
import org.sallyport.broker.error.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on through an OpenID Connect provider (Keycloak): API bearer tokens are JWTs verified locally with
 * Vert.x auth-oauth2 against the provider's JWKS (found through discovery), then mapped by {@link OidcClaims}.
 *
 * <h2>Security guarantees</h2>
 * A token is accepted only when its signature verifies with a key from the issuer's JWKS, {@code iss} is the
 * configured issuer, {@code aud} contains the configured audience, {@code exp} is present and not past, and it is an
 * access token ({@code typ} Bearer when present; ID tokens carry the client as audience, not the API). A token that
 * does not verify locally is refused: unlike the library's default, it is never sent to introspection or userinfo,
 * so a forged token costs no call to the provider. An unknown key id triggers one JWKS reload (key rotation).
 * Messages never include the token or the client secret.
 *
 * <p>Threading: {@link #authenticate} runs on the event loop; verification is in memory.
 */
public final class OidcIdentity implements Identity {
    private static final Logger LOG = LoggerFactory.getLogger(OidcIdentity.class);

    private final BrokerConfig.Oidc config;
    private final OAuth2Auth provider;
    private final OAuth2Auth bearer;

    private OidcIdentity(BrokerConfig.Oidc config, OAuth2Auth provider, OAuth2Auth bearer) {
        this.config = config;
        this.provider = provider;
        this.bearer = bearer;
    }

    /** Discovers the issuer and loads its keys; fails with UnavailableException (naming the issuer) when it cannot. */
    public static Future<OidcIdentity> discover(Vertx vertx, BrokerConfig.Oidc config) {
        OAuth2Options options = new OAuth2Options()
                .setSite(config.issuer())
                .setClientId(config.clientId())
                .setClientSecret(config.clientSecret())
                .setValidateIssuer(true)
                .setJWTOptions(new JWTOptions().setAudience(List.of(config.audience())).setLeeway(5));
        return OpenIDConnectAuth.discover(vertx, options)
                .recover(e -> Future.failedFuture(new UnavailableException("OpenID Connect discovery of " + config.issuer()
                        + " failed: " + safe(e))))
                .compose(provider -> {
                    // discover() filled the endpoints into options. Same endpoints and keys, but without introspection/userinfo, so that bearer tokens are only ever
                    // verified locally (see the class comment).
                    OAuth2Options local = new OAuth2Options(options).setIntrospectionPath(null).setUserInfoPath(null);
                    OAuth2Auth bearer = OAuth2Auth.create(vertx, local);
                    bearer.missingKeyHandler(kid -> bearer.jWKSet()
                            .onFailure(e -> LOG.warn("reloading the JWKS of {} failed: {}", config.issuer(), safe(e))));
                    return bearer.jWKSet().map(v -> new OidcIdentity(config, provider, bearer));
                });
    }

    public BrokerConfig.Oidc config() {
        return config;
    }

    /** The discovered provider, with the portal client's credentials (authorization code flow, logout). */
    public OAuth2Auth provider() {
        return provider;
    }

    @Override
    public Future<Login> login(String username, char[] password) {
        java.util.Arrays.fill(password, '\0');
        return Future.failedFuture(new UnauthenticatedException("this broker signs in through single sign-on ("
                + config.issuer() + "): use the portal, or sallyport login --sso"));
    }

    @Override
    public Future<Principal> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Future.failedFuture(new UnauthenticatedException("missing bearer token"));
        }
        return bearer.authenticate(new TokenCredentials(bearerToken))
                .recover(e -> {
                    LOG.debug("bearer token refused: {}", safe(e));
                    return Future.failedFuture(new UnauthenticatedException("invalid or expired token"));
                })
                .compose(user -> {
                    try {
                        return Future.succeededFuture(principalOf(user));
                    } catch (BrokerException e) {
                        return Future.failedFuture(e);
                    }
                });
    }

    /**
     * The principal of a user the library has verified (bearer token, or the tokens of a code exchange); re-checks
     * what must hold for an API access token.
     */
    public Principal principalOf(User user) {
        JsonObject claims = user.attributes().getJsonObject("accessToken");
        if (claims == null) throw new UnauthenticatedException("invalid or expired token");
        if (!config.issuer().equals(claims.getString("iss"))) throw new UnauthenticatedException("token from another issuer");
        Object aud = claims.getValue("aud");
        boolean forUs = aud instanceof String s ? s.equals(config.audience())
                : aud instanceof JsonArray a && a.contains(config.audience());
        if (!forUs) throw new UnauthenticatedException("token is not meant for this API (audience " + config.audience() + ")");
        Object typ = claims.getValue("typ");
        if (typ != null && !"Bearer".equals(typ)) throw new UnauthenticatedException("not an access token");
        Long exp = claims.getValue("exp") instanceof Number n ? n.longValue() : null;
        if (exp == null || exp * 1000 <= System.currentTimeMillis()) throw new UnauthenticatedException("invalid or expired token");
        return OidcClaims.principal(claims);
    }

    /** An exception's message with anything looking like a JWT removed (library messages may quote input). */
    static String safe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*", "<token>");
    }
}
