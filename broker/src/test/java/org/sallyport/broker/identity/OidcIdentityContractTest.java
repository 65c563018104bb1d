package org.sallyport.broker.identity;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.sallyport.broker.testing.Sso;
import org.sallyport.fixtures.junit.WithKeycloak;
import org.sallyport.fixtures.keycloak.KeycloakServer;

/** The identity contract against a real Keycloak; tokens come from the device grant. */
@WithKeycloak
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcIdentityContractTest extends IdentityContract {
    Vertx vertx;
    OidcIdentity identity;
    KeycloakServer keycloak;

    @BeforeAll
    void start(KeycloakServer keycloak) {
        this.keycloak = keycloak;
        vertx = Vertx.vertx();
        identity = await(OidcIdentity.discover(vertx, Sso.identity(keycloak).oidc()));
    }

    @AfterAll
    void stop() {
        vertx.close();
    }

    @Override
    Identity identity() {
        return identity;
    }

    @Override
    String tokenFor(String user) {
        return keycloak.accessToken(user);
    }
}
