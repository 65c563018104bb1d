package org.sallyport.broker.store;

import java.time.Instant;

/** Audit search: time range [from, to), optional actor/action/objectId equality, ascending seq after {@code afterSeq}. */
public record AuditFilter(Instant from, Instant to, String actor, String action, String objectId, long afterSeq, int limit) {
    public AuditFilter {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
    }
}
