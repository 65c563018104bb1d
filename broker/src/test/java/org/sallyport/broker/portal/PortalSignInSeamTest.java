package org.sallyport.broker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;

/**
 * The seam single sign-on plugs into: a sign-in route of its own that ends with {@link PortalSessions#start}
 * gives the browser the same session as the login form, and the login page links to it.
 */
class PortalSignInSeamTest {
    Vertx vertx;
    final org.sallyport.broker.testing.MutableClock clock = org.sallyport.broker.testing.MutableClock.atSystemNow();
    HttpServer server;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        PortalSessions sessions = new PortalSessions(false, clock);
        PortalRoutes portal = new PortalRoutes(vertx, sessions, null, null, null, null, null, null, null, Clock.systemUTC());
        Principal oidcUser = new Principal("kc-supervisor", Set.of(Role.SUPERVISOR), null, Set.of("anzalduas"));
        portal.withSignIn("/portal/sso", router -> router.get("/portal/sso/callback").handler(ctx -> {
            portal.sessions().start(ctx, oidcUser);
            ctx.response().setStatusCode(303).putHeader("Location", "/portal/queue").end();
        }));
        Router router = Router.router(vertx);
        portal.mountPages(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
        if (cookie != null) r.header("Cookie", cookie);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ssoCallbackStartsTheSamePortalSessionAndTheLoginPageLinksToIt() throws Exception {
        assertThat(get("/portal/login", null).body()).contains("id=\"sso-link\" href=\"/portal/sso\"", "Sign in with SSO");
        HttpResponse<String> callback = get("/portal/sso/callback", null);
        assertThat(callback.statusCode()).isEqualTo(303);
        String setCookie = callback.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("sallyport=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
        HttpResponse<String> page = get("/portal/queue", setCookie.substring(0, setCookie.indexOf(';')));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-user=\"kc-supervisor\"", "data-roles=\"supervisor\"", "data-csrf=\"");
    }

    @Test
    void sessionsEndAfterThirtyIdleMinutesAndAfterEightHoursWhateverTheUse() throws Exception {
        String cookie = signedIn();
        clock.advance(PortalSessions.IDLE.minusMinutes(1));
        assertThat(get("/portal/queue", cookie).statusCode()).as("used within the idle time").isEqualTo(200);
        clock.advance(PortalSessions.IDLE);
        assertThat(get("/portal/queue", cookie).headers().firstValue("Location")).as("idle too long").hasValue("/portal/login");

        cookie = signedIn();
        for (int i = 0; i < 17; i++) { // used every 29 minutes: never idle, but the shift ends
            clock.advance(java.time.Duration.ofMinutes(29));
            if (i < 16) assertThat(get("/portal/queue", cookie).statusCode()).isEqualTo(200);
        }
        assertThat(get("/portal/queue", cookie).headers().firstValue("Location")).as("past 8 h").hasValue("/portal/login");
    }

    private String signedIn() throws Exception {
        String setCookie = get("/portal/sso/callback", null).headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
