package org.sallyport.broker.store;

import java.util.Set;

/** Which gateway sessions to list, newest first; null fields do not filter; an empty sites set matches nothing. */
public record SessionFilter(String username, Set<String> sites, boolean liveOnly, int limit) {
    public SessionFilter {
        sites = sites == null ? null : Set.copyOf(sites);
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
    }
}
