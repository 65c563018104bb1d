package org.sallyport.broker.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.Sso;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.junit.WithKeycloak;
import org.sallyport.fixtures.keycloak.KeycloakServer;

/** The API with single sign-on: bearer tokens issued by a real Keycloak through the device grant. */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcApiTest {
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
    void supervisorTokenFromKeycloakMapsRealmRoleAndSiteGroup() {
        var r = broker.send("GET", "/api/me", keycloak.accessToken("supervisor"), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("username").asText()).isEqualTo("supervisor");
        assertThat(r.json().path("roles").toString()).isEqualTo("[\"supervisor\"]");
        assertThat(r.json().path("sites").toString()).isEqualTo("[\"anzalduas\"]");
    }

    @Test
    void vendorRequestsWithItsSsoTokenAndAnSsoSupervisorApproves() {
        String tech = keycloak.accessToken("tech");
        var me = broker.send("GET", "/api/me", tech, null);
        assertThat(me.json().path("org").asText()).isEqualTo("acme-optics");
        var created = broker.send("POST", "/api/requests", tech, "{\"targets\":[\"cam-anz-01\"],\"duration\":\"30m\","
                + "\"reason\":\"replace focus motor\",\"ticket\":\"INC-4711\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        var approved = broker.send("POST", "/api/requests/" + id + "/approve", keycloak.accessToken("supervisor"),
                "{\"comment\":\"ok, ticket checked\"}");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().path("state").asText()).isEqualTo("APPROVED");
        // A vendor of another org does not see it.
        var other = broker.send("GET", "/api/requests/" + id, keycloak.accessToken("tech2"), null);
        assertThat(other.status()).isIn(403, 404);
    }

    @Test
    void alteredTokenIsRefusedWithoutEchoingIt() {
        String token = keycloak.accessToken("inspector");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        var r = broker.send("GET", "/api/me", forged, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(parts[1]).doesNotContain(parts[2]);
    }

    @Test
    void idTokenIsNotAnApiToken() {
        String idToken = KeycloakServer.jsonString(keycloak.deviceGrantTokens("inspector"), "id_token");
        assertThat(broker.send("GET", "/api/me", idToken, null).status()).isEqualTo(401);
    }

    @Test
    void tokenOfAnotherRealmIsRefused() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(keycloak.baseUrl()
                                + "/realms/master/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=kcadmin&password="
                                + KeycloakServer.PASSWORD)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        String masterToken = KeycloakServer.jsonString(answer.body(), "access_token");
        assertThat(broker.send("GET", "/api/me", masterToken, null).status()).isEqualTo(401);
    }

    @Test
    void userWithoutSallyportRoleIsForbidden() {
        var r = broker.send("GET", "/api/me", keycloak.accessToken("nobody"), null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("detail").asText()).contains("no Sallyport role");
    }

    @Test
    void passwordLoginPointsToSingleSignOn() {
        var r = broker.send("POST", "/api/auth/login", null, "{\"username\":\"supervisor\",\"password\":\"" + KeycloakServer.PASSWORD + "\"}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("detail").asText()).contains("single sign-on").contains("--sso");
    }

    @Test
    void authConfigTellsTheCliWhereToSignIn() {
        var r = broker.send("GET", "/api/auth/config", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("kind").asText()).isEqualTo("oidc");
        assertThat(r.json().path("issuer").asText()).isEqualTo(keycloak.issuer());
        assertThat(r.json().path("clientId").asText()).isEqualTo(KeycloakServer.CLI_CLIENT);
        assertThat(r.body()).doesNotContain(KeycloakServer.PORTAL_SECRET);
    }

    @Test
    void brokerRefusesToStartWhenTheIssuerIsUnreachableAndKeepsTheSecretOut(@TempDir Path other) {
        var bad = new BrokerConfig.Identity("oidc", Duration.ofHours(1), List.of(), new BrokerConfig.Oidc(
                "http://127.0.0.1:9/realms/none", KeycloakServer.PORTAL_CLIENT, "very-secret-value", null, null).withDefaults());
        TestBroker b = new TestBroker(other, MutableClock.atSystemNow()).identity(bad);
        assertThatThrownBy(b::start).hasMessageContaining("http://127.0.0.1:9/realms/none")
                .satisfies(e -> assertThat(String.valueOf(e) + e.getCause()).doesNotContain("very-secret-value"));
        b.close();
    }
}
