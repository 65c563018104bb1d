package org.sallyport.broker.portal;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.UnauthenticatedException;

/**
 * Browser sessions of the portal: an opaque random id in a cookie, the principal and a CSRF token on the
 * server. This is the seam every way of signing in ends at: the local login form and, later, the OIDC
 * callback call {@link #start(RoutingContext, Principal)}.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The cookie is {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/}; with TLS it is also
 *       {@code Secure} and named with the {@code __Host-} prefix, so no sub-domain can set or shadow it.</li>
 *   <li>Every sign-in gets a fresh id (no session fixation); logout deletes it on the server.</li>
 *   <li>A state-changing request (anything but GET, HEAD, OPTIONS) must carry the session's CSRF token in
 *       the {@code X-CSRF-Token} header or a {@code csrf} form field (synchronizer token, compared in
 *       constant time), and an {@code Origin}, when the browser sends one, of this very host.</li>
 *   <li>Sessions end after {@link #IDLE} without use and at the latest {@link #ABSOLUTE} after sign-in.</li>
 * </ul>
 *
 * <h2>Restrictions</h2>
 * Sessions live in this broker's memory: a restart signs everyone out, and several replicas need sticky
 * routing until the store is shared. Thread-safe.
 */
public final class PortalSessions {
    /** Idle timeout: a supervisor's screen left open over lunch asks for the password again. */
    public static final Duration IDLE = Duration.ofMinutes(30);
    /** Absolute lifetime: one working shift. */
    public static final Duration ABSOLUTE = Duration.ofHours(8);
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "csrf";
    private static final String SESSION_KEY = "sallyport.portal-session";

    private final boolean tls;
    private final Clock clock;
    private final String cookieName;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, PortalSession> sessions = new ConcurrentHashMap<>();

    /** One signed-in browser. {@code lastSeen} is refreshed on use. */
    public static final class PortalSession {
        private final String id;
        private final Principal principal;
        private final String csrfToken;
        private final Instant createdAt;
        private volatile Instant lastSeen;

        PortalSession(String id, Principal principal, String csrfToken, Instant createdAt) {
            this.id = id;
            this.principal = principal;
            this.csrfToken = csrfToken;
            this.createdAt = createdAt;
            this.lastSeen = createdAt;
        }

        public Principal principal() {
            return principal;
        }

        public String csrfToken() {
            return csrfToken;
        }

        String id() {
            return id;
        }
    }

    public PortalSessions(boolean tls, Clock clock) {
        this.tls = tls;
        this.clock = clock;
        this.cookieName = tls ? "__Host-sallyport" : "sallyport";
    }

    public String cookieName() {
        return cookieName;
    }

    /**
     * Signs {@code principal} in: drops any session the browser had, creates a new one and sets its cookie.
     * The caller has authenticated the principal (password, OIDC) and audits the sign-in.
     */
    public PortalSession start(RoutingContext ctx, Principal principal) {
        current(ctx).ifPresent(old -> sessions.remove(old.id()));
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        PortalSession s = new PortalSession(token(), principal, token(), now);
        sessions.put(s.id(), s);
        Cookie c = Cookie.cookie(cookieName, s.id()).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(tls).setMaxAge(ABSOLUTE.toSeconds());
        ctx.response().addCookie(c);
        ctx.put(SESSION_KEY, s);
        return s;
    }

    /** The browser's live session, if its cookie names one; refreshes its idle timer. */
    public Optional<PortalSession> current(RoutingContext ctx) {
        PortalSession cached = ctx.get(SESSION_KEY);
        if (cached != null) return Optional.of(cached);
        Cookie c = ctx.request().getCookie(cookieName);
        if (c == null || c.getValue() == null || c.getValue().isEmpty()) return Optional.empty();
        PortalSession s = sessions.get(c.getValue());
        if (s == null) return Optional.empty();
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(s.id());
            return Optional.empty();
        }
        s.lastSeen = now;
        ctx.put(SESSION_KEY, s);
        return Optional.of(s);
    }

    /** Whether the session is still signed in (long-lived streams re-check this). */
    public boolean alive(PortalSession s) {
        return sessions.get(s.id()) == s && !expired(s, clock.instant());
    }

    /**
     * The principal of a cookie-authenticated request, after the CSRF and Origin checks for state-changing
     * methods and for WebSocket upgrades.
     *
     * @throws UnauthenticatedException without a live session
     * @throws ForbiddenException when the CSRF token or Origin is wrong
     */
    public Principal authenticate(RoutingContext ctx) {
        PortalSession s = current(ctx).orElseThrow(() -> new UnauthenticatedException("missing bearer token or portal session"));
        boolean upgrade = "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"));
        if (upgrade || !safe(ctx.request().method())) requireSameOrigin(ctx);
        if (!safe(ctx.request().method())) requireCsrf(ctx, s);
        return s.principal();
    }

    /** Checks the synchronizer token of a state-changing request (header, else form field). */
    public void requireCsrf(RoutingContext ctx, PortalSession s) {
        String sent = ctx.request().getHeader(CSRF_HEADER);
        if (sent == null) sent = ctx.request().getFormAttribute(CSRF_FIELD);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), s.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException("missing or wrong CSRF token (" + CSRF_HEADER + "); reload the page");
        }
    }

    /** Refuses a request whose Origin header names another site (browsers send it on POST and WebSocket). */
    public void requireSameOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null) return;
        String expected = (tls ? "https://" : "http://") + ctx.request().authority();
        if (!origin.equalsIgnoreCase(expected)) throw new ForbiddenException("cross-origin request refused (Origin " + origin + ")");
    }

    /** Signs the browser out: forgets the session and expires its cookie. */
    public Optional<Principal> end(RoutingContext ctx) {
        Optional<PortalSession> s = current(ctx);
        s.ifPresent(x -> sessions.remove(x.id()));
        ctx.response().addCookie(Cookie.cookie(cookieName, "").setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(tls).setMaxAge(0));
        return s.map(PortalSession::principal);
    }

    private boolean expired(PortalSession s, Instant now) {
        return !now.isBefore(s.lastSeen.plus(IDLE)) || !now.isBefore(s.createdAt.plus(ABSOLUTE));
    }

    private static boolean safe(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
