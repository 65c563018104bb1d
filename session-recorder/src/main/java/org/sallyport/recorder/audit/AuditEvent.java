package org.sallyport.recorder.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * One link of the audit chain, as stored. Constructing an event does not check its hash: that is
 * {@link AuditVerifier}'s job, so that a store can load tampered rows and have them reported.
 *
 * @param time     truncated to microseconds here, because databases keep microseconds and the hash covers
 *                 exactly what they keep
 * @param details  copied into an unmodifiable map sorted by key; null means none
 * @param prevHash lowercase hex SHA-256 of the previous event, or {@link AuditChain#GENESIS}
 * @param hash     lowercase hex SHA-256 of this event's canonical encoding (see {@link AuditChain#computeHash})
 */
public record AuditEvent(long seq, Instant time, String actor, String action, String objectType, String objectId,
                         Map<String, String> details, String prevHash, String hash) {
    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
        time = time.truncatedTo(ChronoUnit.MICROS);
        details = Details.copy(details);
    }
}
