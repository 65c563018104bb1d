package org.sallyport.broker.domain;

import java.util.Set;

/**
 * Life cycle of an access request. PENDING is the only state that may be decided; APPROVED may still
 * end early (REVOKED, CANCELLED) or at its window's end (EXPIRED). Every other state is final.
 */
public enum RequestState {
    PENDING, APPROVED, DENIED, CANCELLED, EXPIRED, REVOKED;

    public boolean isFinal() {
        return this != PENDING && this != APPROVED;
    }

    public Set<RequestState> next() {
        return switch (this) {
            case PENDING -> Set.of(APPROVED, DENIED, CANCELLED, EXPIRED);
            case APPROVED -> Set.of(EXPIRED, REVOKED, CANCELLED);
            default -> Set.of();
        };
    }
}
