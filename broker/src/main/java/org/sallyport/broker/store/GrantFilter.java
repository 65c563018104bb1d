package org.sallyport.broker.store;

import java.util.Set;

/** Which grants to list; null fields do not filter; an empty (non-null) sites set matches nothing. */
public record GrantFilter(String username, String org, Set<String> sites, String targetId, int limit) {
    public GrantFilter {
        sites = sites == null ? null : Set.copyOf(sites);
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
    }
}
