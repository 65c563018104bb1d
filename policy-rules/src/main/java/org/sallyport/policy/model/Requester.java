package org.sallyport.policy.model;

import java.util.Objects;
import java.util.Set;

/**
 * Who asks. CEL: {@code requester.user}, {@code requester.org} ("" when none), {@code requester.groups}.
 *
 * @param groups roles and group paths, e.g. {@code vendor-technician}, {@code /vendors/acme}
 */
public record Requester(String user, String org, Set<String> groups) {
    public Requester {
        Objects.requireNonNull(user, "user");
        org = org == null ? "" : org;
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
}
