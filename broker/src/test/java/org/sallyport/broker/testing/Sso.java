package org.sallyport.broker.testing;

import java.time.Duration;
import java.util.List;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.fixtures.keycloak.KeycloakServer;

/** Broker identity settings for single sign-on against the test Keycloak. */
public final class Sso {
    private Sso() {}

    public static BrokerConfig.Identity identity(KeycloakServer keycloak) {
        return new BrokerConfig.Identity("oidc", Duration.ofHours(1), List.of(), new BrokerConfig.Oidc(keycloak.issuer(),
                KeycloakServer.PORTAL_CLIENT, KeycloakServer.PORTAL_SECRET, null, null).withDefaults());
    }
}
