package org.sallyport.broker.domain;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated person as the broker sees them.
 *
 * @param username unique login name
 * @param roles    Sallyport roles
 * @param org      vendor organisation (only for vendor technicians), else null
 * @param sites    sites a supervisor is responsible for (empty for others)
 */
public record Principal(String username, Set<Role> roles, String org, Set<String> sites) {
    public Principal {
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
        sites = sites == null ? Set.of() : Set.copyOf(sites);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
