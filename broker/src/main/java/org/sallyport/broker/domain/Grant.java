package org.sallyport.broker.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What an approval yields: one user may connect to one target between notBefore and notAfter.
 * A grant is usable only while {@link #usableAt(Instant)}; expiry is a comparison with the clock, so a
 * broker restart cannot leave a stale grant usable even before the expiry sweep has run.
 */
public record Grant(String id, String requestId, String username, String org, String targetId, String site,
                    Instant notBefore, Instant notAfter, Instant revokedAt, String revokedBy) {
    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    public boolean usableAt(Instant now) {
        return revokedAt == null && !now.isBefore(notBefore) && now.isBefore(notAfter);
    }

    public String status(Instant now) {
        if (revokedAt != null) return "revoked";
        if (now.isBefore(notBefore)) return "scheduled";
        if (now.isBefore(notAfter)) return "active";
        return "expired";
    }
}
