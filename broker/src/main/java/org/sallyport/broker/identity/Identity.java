package org.sallyport.broker.identity;

import io.vertx.core.Future;
import java.time.Instant;
import org.sallyport.broker.domain.Principal;

/**
 * The one identity seam. Implementations: {@link LocalIdentity} (embedded default); Keycloak OIDC later.
 *
 * <p>Threading: both methods may be called from an event loop; implementations move blocking or
 * CPU-heavy work (password hashing) off it themselves.
 */
public interface Identity {

    /** Exchanges username and password for a token; fails with UnauthenticatedException, never saying which part was wrong. */
    Future<Login> login(String username, char[] password);

    /** Resolves a bearer token to a principal; fails with UnauthenticatedException when missing, forged or expired. */
    Future<Principal> authenticate(String bearerToken);

    record Login(String accessToken, Instant expiresAt, Principal principal) {}
}
