package org.sallyport.broker.store;

import java.util.Set;
import org.sallyport.broker.domain.RequestState;

/**
 * Which requests to list. Null fields do not filter. {@code sites} matches a request touching any of them;
 * an empty (non-null) set matches nothing.
 */
public record RequestFilter(String requesterOrg, Set<String> sites, String requester, RequestState state, int limit) {
    public RequestFilter {
        sites = sites == null ? null : Set.copyOf(sites);
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
    }

    public static RequestFilter all(int limit) {
        return new RequestFilter(null, null, null, null, limit);
    }
}
