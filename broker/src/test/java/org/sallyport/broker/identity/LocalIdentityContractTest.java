package org.sallyport.broker.identity;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.sallyport.broker.config.BrokerConfig;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalIdentityContractTest extends IdentityContract {
    static final String PASSWORD = "contract-test-password";
    Vertx vertx;
    LocalIdentity identity;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        String hash = PasswordHasher.hash(PASSWORD.toCharArray());
        identity = new LocalIdentity(vertx, new byte[32], Duration.ofMinutes(5), List.of(
                new BrokerConfig.LocalAccount("tech", hash, Set.of("vendor-technician"), "acme-optics", Set.of()),
                new BrokerConfig.LocalAccount("supervisor", hash, Set.of("supervisor"), null, Set.of("anzalduas")),
                new BrokerConfig.LocalAccount("inspector", hash, Set.of("inspector"), null, Set.of())), Clock.systemUTC());
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
        return await(identity.login(user, PASSWORD.toCharArray())).accessToken();
    }
}
