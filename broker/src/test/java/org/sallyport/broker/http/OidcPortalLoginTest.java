package org.sallyport.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.Sso;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.junit.WithKeycloak;
import org.sallyport.fixtures.keycloak.KeycloakBrowser;
import org.sallyport.fixtures.keycloak.KeycloakServer;

/** The portal's browser sign-in (authorization code + PKCE) through Keycloak's real login page, at HTTP level. */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcPortalLoginTest {
    KeycloakServer keycloak;
    TestBroker broker;

    @BeforeAll
    void start(KeycloakServer keycloak, @TempDir Path dir) {
        this.keycloak = keycloak;
        broker = new TestBroker(dir, MutableClock.atSystemNow()).identity(Sso.identity(keycloak)).start();
    }

    @AfterAll
    void stop() {
        if (broker != null) broker.close();
    }

    @Test
    void loginRedirectsToKeycloakWithPkceStateAndNonceInASealedCookie() throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broker.url()
                + "/auth/oidc/login?returnTo=/portal/queue")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?")
                .contains("client_id=" + KeycloakServer.PORTAL_CLIENT).contains("code_challenge_method=S256")
                .contains("code_challenge=").contains("state=").contains("nonce=")
                .contains("redirect_uri=" + java.net.URLEncoder.encode(broker.url() + "/auth/oidc/callback", java.nio.charset.StandardCharsets.UTF_8));
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("sallyport-oidc=").containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/auth/oidc");
        String state = location.replaceAll(".*[?&]state=([^&]+).*", "$1");
        assertThat(cookie).as("state is sealed, not readable in the cookie").doesNotContain(state);
    }

    @Test
    void supervisorSignsInOnTheRealLoginPageAndTheSignInIsAudited() {
        KeycloakBrowser browser = new KeycloakBrowser();
        KeycloakBrowser.Page login = browser.open(broker.url() + "/auth/oidc/login?returnTo=/portal/queue");
        assertThat(login.uri().toString()).startsWith(keycloak.issuer());
        KeycloakBrowser.Page landed = browser.signIn(login, "supervisor", KeycloakServer.PASSWORD);
        // callback -> a page that refreshes to returnTo (same-site, so the Strict session cookie goes along)
        assertThat(landed.uri().getPath()).isEqualTo("/portal/queue");
        assertThat(landed.status()).isEqualTo(200);
        assertThat(landed.body()).contains("data-user=\"supervisor\"");

        var audit = broker.send("GET", "/api/audit?action=auth.login", keycloak.accessToken("inspector"), null);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).contains("\"actor\":\"supervisor\"").contains("oidc");
    }

    @Test
    void aSecondSignInRidesTheKeycloakSessionUntilLogoutEndsIt() {
        KeycloakBrowser browser = new KeycloakBrowser();
        browser.signIn(browser.open(broker.url() + "/auth/oidc/login"), "inspector", KeycloakServer.PASSWORD);
        KeycloakBrowser.Page again = browser.open(broker.url() + "/auth/oidc/login");
        assertThat(again.uri().getPath()).as("single sign-on: no form the second time").isEqualTo("/portal/queue");
        assertThat(browser.open(broker.url() + "/portal/queue").uri().getPath()).isEqualTo("/portal/queue");

        KeycloakBrowser.Page out = browser.open(broker.url() + "/auth/oidc/logout");
        assertThat(out.uri().toString()).as("back from Keycloak's logout, without a portal session")
                .isEqualTo(broker.url() + "/portal/login");
        assertThat(browser.open(broker.url() + "/portal/queue").uri().getPath()).isEqualTo("/portal/login");
        KeycloakBrowser.Page afterLogout = browser.open(broker.url() + "/auth/oidc/login");
        assertThat(afterLogout.body()).as("Keycloak session ended: the login form again").contains("kc-form-login");
    }

    @Test
    void thePortalsSignOutAlsoEndsTheKeycloakSession() {
        KeycloakBrowser browser = new KeycloakBrowser();
        browser.signIn(browser.open(broker.url() + "/auth/oidc/login"), "supervisor2", KeycloakServer.PASSWORD);
        KeycloakBrowser.Page queue = browser.open(broker.url() + "/portal/queue");
        assertThat(queue.uri().getPath()).isEqualTo("/portal/queue");
        KeycloakBrowser.Page out = browser.submit(queue, "/portal/logout", java.util.Map.of());
        assertThat(out.uri().toString()).isEqualTo(broker.url() + "/portal/login");
        assertThat(browser.open(broker.url() + "/auth/oidc/login").body()).contains("kc-form-login");
    }

    @Test
    void callbackWithAnotherStateOrWithoutTheCookieIsRefused() {
        KeycloakBrowser browser = new KeycloakBrowser();
        browser.open(broker.url() + "/auth/oidc/login"); // sets the sealed cookie, stops at Keycloak's form
        KeycloakBrowser.Page forged = browser.open(broker.url() + "/auth/oidc/callback?state=attacker&code=stolen");
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body()).contains("state does not match");

        KeycloakBrowser.Page noCookie = new KeycloakBrowser().open(broker.url() + "/auth/oidc/callback?state=a&code=b");
        assertThat(noCookie.status()).isEqualTo(401);
        assertThat(noCookie.body()).contains("no sign-in in progress");
    }

    @Test
    void userWithoutSallyportRoleGetsNoSession() {
        KeycloakBrowser browser = new KeycloakBrowser();
        KeycloakBrowser.Page landed = browser.signIn(browser.open(broker.url() + "/auth/oidc/login"), "nobody", KeycloakServer.PASSWORD);
        assertThat(landed.status()).isEqualTo(403);
        assertThat(landed.body()).contains("no Sallyport role");
    }

    @Test
    void returnToAcceptsOnlyLocalPaths() {
        assertThat(OidcRoutes.localPath("/portal/queue?x=1")).isEqualTo("/portal/queue?x=1");
        assertThat(OidcRoutes.localPath("//evil.example/")).isEqualTo("/");
        assertThat(OidcRoutes.localPath("https://evil.example/")).isEqualTo("/");
        assertThat(OidcRoutes.localPath("/\\evil.example")).isEqualTo("/");
        assertThat(OidcRoutes.localPath("/a\r\nSet-Cookie: x")).isEqualTo("/");
        assertThat(OidcRoutes.localPath(null)).isEqualTo("/");
    }
}
