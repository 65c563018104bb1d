package org.sallyport.broker.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.error.UnauthenticatedException;

/**
 * What every {@link Identity} must do with bearer tokens, run against local accounts and against Keycloak. Both
 * know the demo users {@code tech} (vendor, acme-optics), {@code supervisor} (site anzalduas) and {@code inspector}.
 */
abstract class IdentityContract {
    abstract Identity identity();

    /** A valid token for {@code user}, got the way this kind of identity hands them out. */
    abstract String tokenFor(String user);

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void missingTokenIsUnauthenticated() {
        assertThatThrownBy(() -> await(identity().authenticate(null))).isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> await(identity().authenticate(" "))).isInstanceOf(UnauthenticatedException.class);
    }

    @Test
    void garbageIsUnauthenticatedAndNotEchoed() {
        String junk = "not-a-jwt-but-a-rather-long-string-1234567890";
        assertThatThrownBy(() -> await(identity().authenticate(junk))).isInstanceOf(UnauthenticatedException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(junk));
    }

    @Test
    void vendorTokenNamesUserRoleAndOrg() {
        Principal p = await(identity().authenticate(tokenFor("tech")));
        assertThat(p.username()).isEqualTo("tech");
        assertThat(p.roles()).containsExactly(Role.VENDOR_TECHNICIAN);
        assertThat(p.org()).isEqualTo("acme-optics");
    }

    @Test
    void supervisorTokenNamesItsSites() {
        Principal p = await(identity().authenticate(tokenFor("supervisor")));
        assertThat(p.roles()).containsExactly(Role.SUPERVISOR);
        assertThat(p.sites()).contains("anzalduas");
    }

    @Test
    void tokenWithAnEditedPayloadIsRefused() {
        String[] parts = tokenFor("inspector").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String promoted = payload.replace("\"inspector\"", "\"admin\"");
        assertThat(promoted).isNotEqualTo(payload);
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(promoted.getBytes()) + "." + parts[2];
        assertThatThrownBy(() -> await(identity().authenticate(forged))).isInstanceOf(UnauthenticatedException.class);
    }

    @Test
    void inspectorIsOnlyAnInspector() {
        assertThat(await(identity().authenticate(tokenFor("inspector"))).roles()).isEqualTo(Set.of(Role.INSPECTOR));
    }
}
