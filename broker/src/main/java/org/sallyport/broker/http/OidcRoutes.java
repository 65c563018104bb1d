package org.sallyport.broker.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.Optional;
import java.util.function.Function;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.BrokerException;
import org.sallyport.broker.error.InvalidInputException;
import org.sallyport.broker.error.UnauthenticatedException;
import org.sallyport.broker.identity.OidcIdentity;
import org.sallyport.recorder.audit.AuditEventDraft;
import org.sallyport.recorder.crypto.DecryptionException;
import org.sallyport.recorder.crypto.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identity routes that come before authentication: {@code GET /api/auth/config} (which sign-in the broker expects,
 * for {@code sallyport login}), and, when the broker uses OpenID Connect, the portal's browser sign-in:
 * {@code GET /auth/oidc/login} (authorization code with PKCE S256, state and nonce), {@code GET /auth/oidc/callback}
 * and {@code GET /auth/oidc/logout} (RP-initiated logout at the provider).
 *
 * <h2>Security guarantees</h2>
 * State, nonce and PKCE verifier of a sign-in in progress travel in one cookie sealed with AES-256-GCM under a key
 * from the data folder (replicas sharing the data keys can finish each other's sign-ins), HttpOnly, SameSite=Lax
 * (the callback is a top-level navigation from the provider), Secure with TLS, limited to {@code /auth/oidc} and to
 * ten minutes. The callback accepts a code only with the matching state from that cookie, uses it once (the cookie
 * is cleared first), and accepts the result only when the ID token's nonce matches and the access token passes the
 * same checks as an API bearer token. {@code returnTo} is a local path only (no open redirect). No token, code or
 * secret reaches a log line, a response or an exception message.
 *
 * <p>What a successful sign-in does is the {@link #onLogin} hook's business (the portal starts its cookie session
 * there); without a hook the callback answers with a short text naming the user.
 */
public final class OidcRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OidcRoutes.class);
    static final String LOGIN_COOKIE = "sallyport-oidc";
    static final String ID_COOKIE = "sallyport-oidc-id";
    static final String COOKIE_PATH = "/auth/oidc";
    private static final long LOGIN_SECONDS = 600;
    private static final byte[] LOGIN_AD = "sallyport-oidc-login/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_AD = "sallyport-oidc-id/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final OidcIdentity oidc;
    private final SecretBox cookieBox;
    private final AuditLog audit;
    private final Clock clock;
    private final boolean tls;
    private BiConsumer<RoutingContext, Principal> onLogin = OidcRoutes::signedInText;
    private Function<RoutingContext, Optional<Principal>> onLogout = ctx -> Optional.empty();

    /** @param oidc null when the broker uses local accounts (then only {@code /api/auth/config} is served) */
    public OidcRoutes(Vertx vertx, OidcIdentity oidc, byte[] cookieKey, AuditLog audit, Clock clock, boolean tls) {
        this.vertx = vertx;
        this.oidc = oidc;
        this.cookieBox = oidc == null ? null : SecretBox.of(cookieKey);
        this.audit = audit;
        this.clock = clock;
        this.tls = tls;
    }

    /**
     * What a successful browser sign-in does; the hook must end the response (typically: start the portal's cookie
     * session and redirect to {@code returnTo}, found with {@link #returnTo(RoutingContext)}).
     */
    public OidcRoutes onLogin(BiConsumer<RoutingContext, Principal> hook) {
        this.onLogin = hook;
        return this;
    }

    /**
     * What logout does before the browser goes to the provider's logout (typically: end the portal session); answers
     * who was signed in, for the audit trail.
     */
    public OidcRoutes onLogout(Function<RoutingContext, Optional<Principal>> hook) {
        this.onLogout = hook;
        return this;
    }

    /** Where the user wanted to go, as checked at sign-in (a local path), during {@link #onLogin}. */
    public static String returnTo(RoutingContext ctx) {
        String r = ctx.get("sallyport.oidc.returnTo");
        return r == null ? "/" : r;
    }

    /** Mounts the routes; call before the API's authentication handler. */
    public void mount(Router router) {
        router.get("/api/auth/config").handler(this::config);
        if (oidc == null) return;
        router.get(COOKIE_PATH + "/login").handler(this::login);
        router.get(COOKIE_PATH + "/callback").handler(this::callback);
        router.get(COOKIE_PATH + "/logout").handler(this::logout);
    }

    private void config(RoutingContext ctx) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (oidc == null) {
            n.put("kind", "local");
        } else {
            n.put("kind", "oidc");
            n.put("issuer", oidc.config().issuer());
            n.put("clientId", oidc.config().cliClientId());
            n.put("audience", oidc.config().audience());
        }
        ApiVerticle.json(ctx, 200, n);
    }

    private void login(RoutingContext ctx) {
        String returnTo = localPath(ctx.queryParams().get("returnTo"));
        String state = random(32);
        String nonce = random(32);
        String verifier = random(48);
        JsonObject pending = new JsonObject().put("state", state).put("nonce", nonce).put("verifier", verifier)
                .put("returnTo", returnTo).put("exp", clock.instant().getEpochSecond() + LOGIN_SECONDS);
        ctx.response().addCookie(cookie(LOGIN_COOKIE, seal(pending.encode(), LOGIN_AD), LOGIN_SECONDS));
        String url = oidc.provider().authorizeURL(new OAuth2AuthorizationURL()
                .setRedirectUri(redirectUri(ctx))
                .setScopes(List.of("openid", "profile"))
                .setState(state)
                .setCodeChallenge(challenge(verifier))
                .setCodeChallengeMethod("S256")
                .putAdditionalParameter("nonce", nonce));
        redirect(ctx, url);
    }

    private void callback(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(LOGIN_COOKIE);
        // Used once: whatever happens next, this sign-in attempt is over.
        ctx.response().addCookie(cookie(LOGIN_COOKIE, "", 0));
        JsonObject pending;
        try {
            if (c == null) throw new UnauthenticatedException("no sign-in in progress in this browser (cookies off, or it took over 10 minutes); start again");
            pending = new JsonObject(open(c.getValue(), LOGIN_AD));
            if (pending.getLong("exp", 0L) < clock.instant().getEpochSecond()) {
                throw new UnauthenticatedException("the sign-in took over 10 minutes; start again");
            }
            String state = ctx.queryParams().get("state");
            if (state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.US_ASCII),
                    pending.getString("state").getBytes(StandardCharsets.US_ASCII))) {
                throw new UnauthenticatedException("state does not match the sign-in started in this browser");
            }
            String error = ctx.queryParams().get("error");
            if (error != null) {
                throw new UnauthenticatedException("the identity provider refused the sign-in: " + printable(error));
            }
            String code = ctx.queryParams().get("code");
            if (code == null || code.isBlank()) throw new InvalidInputException("code", "missing");
        } catch (BrokerException e) {
            failed(ctx, e);
            return;
        }
        String nonce = pending.getString("nonce");
        ctx.put("sallyport.oidc.returnTo", pending.getString("returnTo"));
        oidc.provider().authenticate(new Oauth2Credentials().setFlow(OAuth2FlowType.AUTH_CODE)
                        .setCode(ctx.queryParams().get("code"))
                        .setRedirectUri(redirectUri(ctx))
                        .setCodeVerifier(pending.getString("verifier")))
                .recover(e -> {
                    LOG.info("code exchange refused: {}", e.getMessage() == null ? e.getClass().getSimpleName() : "provider refused the code");
                    return Future.failedFuture(new UnauthenticatedException("the identity provider did not accept the sign-in; start again"));
                })
                .compose(user -> {
                    try {
                        return Future.succeededFuture(verified(user, nonce));
                    } catch (BrokerException e) {
                        return Future.failedFuture(e);
                    }
                })
                .compose(signedIn -> vertx.executeBlocking(() -> audit.record(new AuditEventDraft(signedIn.principal.username(),
                        "auth.login", "user", signedIn.principal.username(), Map.of("remote", ApiVerticle.remote(ctx),
                                "method", "oidc"))), false).map(signedIn))
                .onSuccess(signedIn -> {
                    if (signedIn.idToken != null) ctx.response().addCookie(cookie(ID_COOKIE, seal(signedIn.idToken, ID_AD), 12 * 3600));
                    onLogin.accept(ctx, signedIn.principal);
                })
                .onFailure(e -> failed(ctx, e));
    }

    private record SignedIn(Principal principal, String idToken) {}

    private SignedIn verified(User user, String nonce) {
        JsonObject id = user.attributes().getJsonObject("idToken");
        if (id == null) throw new UnauthenticatedException("the identity provider returned no valid ID token");
        if (nonce == null || !nonce.equals(id.getString("nonce"))) throw new UnauthenticatedException("ID token nonce does not match");
        // Same checks as for API bearer tokens (issuer, audience, expiry, roles and groups).
        return new SignedIn(oidc.principalOf(user), user.principal().getString("id_token"));
    }

    private void logout(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(ID_COOKIE);
        String idToken = null;
        if (c != null) {
            try {
                idToken = open(c.getValue(), ID_AD);
            } catch (BrokerException e) {
                // a stale or altered cookie: log out without the hint (the provider then asks the user to confirm)
            }
        }
        ctx.response().addCookie(cookie(ID_COOKIE, "", 0));
        Optional<Principal> who = onLogout.apply(ctx);
        String base = ctx.request().scheme() + "://" + ctx.request().authority();
        String url = oidc.provider().endSessionURL(io.vertx.ext.auth.User.create(new JsonObject().put("id_token", idToken)),
                new JsonObject().put("client_id", oidc.config().clientId()).put("post_logout_redirect_uri", base + "/"));
        Future<?> audited = who.isEmpty() ? Future.succeededFuture() : vertx.executeBlocking(() -> audit.record(new AuditEventDraft(
                who.get().username(), "auth.logout", "user", who.get().username(), Map.of("remote", ApiVerticle.remote(ctx), "method", "oidc"))), false);
        // A page, not a redirect: when this logout is the end of a redirect chain that began with the portal's Sign
        // out POST, chromium reaches the provider's logout without ending the provider's session; a fresh navigation
        // from this page does end it (SsoBrowserTest).
        audited.onSuccess(x -> navigate(ctx, url == null ? "/" : url, "Signing out")).onFailure(ctx::fail);
    }

    /**
     * Ends a sign-in by sending the browser on to {@code path} with a page of its own rather than a redirect: the
     * callback is a navigation from the provider's site, and a redirect from it would count as cross-site, so a
     * SameSite=Strict session cookie set here would not be sent with it. A refresh from this page is same-site.
     */
    public static void continueTo(RoutingContext ctx, String path) {
        navigate(ctx, localPath(path), "Signed in");
    }

    private static void navigate(RoutingContext ctx, String url, String what) {
        String p = url.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url="
                        + p + "\"><title>" + what + "</title></head><body><p>" + what + ". <a href=\"" + p + "\">Continue</a></p></body></html>");
    }

    // ------------------------------------------------------------------ plumbing

    private void failed(RoutingContext ctx, Throwable e) {
        if (!(e instanceof BrokerException)) {
            ctx.fail(e);
            return;
        }
        if (e instanceof UnauthenticatedException) {
            vertx.executeBlocking(() -> audit.record(new AuditEventDraft("anonymous", "auth.login-failed", "user", null,
                    Map.of("remote", ApiVerticle.remote(ctx), "method", "oidc", "reason", e.getMessage()))), false)
                    .onComplete(ar -> ctx.fail(ar.succeeded() ? e : ar.cause()));
        } else {
            ctx.fail(e);
        }
    }

    private static void signedInText(RoutingContext ctx, Principal p) {
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Signed in as " + p.username() + " (" + String.join(", ", p.roles().stream().map(Role::wireName).sorted().toList())
                        + ").\n");
    }

    private String redirectUri(RoutingContext ctx) {
        // The provider only redirects to URIs registered for the client, so a forged Host header gains nothing.
        return ctx.request().scheme() + "://" + ctx.request().authority() + COOKIE_PATH + "/callback";
    }

    private static void redirect(RoutingContext ctx, String url) {
        ctx.response().setStatusCode(302).putHeader("Location", url).end();
    }

    private Cookie cookie(String name, String value, long maxAgeSeconds) {
        return Cookie.cookie(name, value).setPath(COOKIE_PATH).setHttpOnly(true).setSecure(tls)
                .setSameSite(CookieSameSite.LAX).setMaxAge(maxAgeSeconds);
    }

    private String seal(String plaintext, byte[] ad) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cookieBox.seal(plaintext.getBytes(StandardCharsets.UTF_8), ad));
    }

    private String open(String sealed, byte[] ad) {
        try {
            return new String(cookieBox.open(Base64.getUrlDecoder().decode(sealed), ad), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | DecryptionException e) {
            throw new UnauthenticatedException("sign-in cookie is not one this broker made; start again");
        }
    }

    /** A path on this server: starts with one '/', no scheme, no backslash, no control characters; else "/". */
    static String localPath(String p) {
        if (p == null || p.isEmpty() || p.length() > 512 || p.charAt(0) != '/' || p.startsWith("//") || p.contains("\\")) return "/";
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < 0x21 || p.charAt(i) == 0x7f) return "/";
        }
        return p;
    }

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) : s;
        return t.replaceAll("[^A-Za-z0-9_.-]", "?");
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** RFC 7636 S256: BASE64URL(SHA-256(ASCII(verifier))). */
    static String challenge(String verifier) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
