package org.sallyport.recorder.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import org.sallyport.recorder.crypto.Hashes;

/**
 * Hash-links audit events: each event's hash covers its content and its predecessor's hash.
 *
 * <h2>Canonical encoding (version 1)</h2>
 * {@code hash = lowercase-hex(SHA-256(E))} where {@code E} is the concatenation of, in this order:
 * <ol>
 *   <li>{@code str("sallyport-audit-v1")}</li>
 *   <li>{@code seq}: 8-byte big-endian signed integer</li>
 *   <li>{@code time}: microseconds since 1970-01-01T00:00:00Z (floored), 8-byte big-endian signed</li>
 *   <li>{@code str(actor)}, {@code str(action)}, {@code str(objectType)}</li>
 *   <li>{@code objectId}: byte {@code 0x00} if null, else byte {@code 0x01} followed by {@code str(objectId)}</li>
 *   <li>{@code details}: 4-byte big-endian entry count, then per entry {@code str(key) str(value)}, entries
 *       sorted by the unsigned bytes of the UTF-8 key</li>
 *   <li>{@code str(prevHash)} (the hex text as stored)</li>
 * </ol>
 * {@code str(s)} is the 4-byte big-endian length of the UTF-8 encoding of {@code s}, then those bytes.
 * Every field is length-prefixed or fixed-size, so different events cannot share an encoding (for example
 * actor "ab" + action "c" and actor "a" + action "bc" differ). The same text is in {@code AUDIT.md}.
 *
 * <h2>Security guarantees</h2>
 * Changing any field of a stored event, or its position, changes a hash that the next event or a signed
 * {@link Checkpoint} pins, so {@link AuditVerifier} detects it.
 *
 * <h2>Restrictions</h2>
 * The chain alone is not authentic: whoever can write the store can rebuild a consistent chain from any
 * point. Only signed checkpoints anchor it (see {@link AuditVerifier}). Times are kept to the microsecond;
 * sub-microsecond parts are not covered (they are dropped before hashing).
 *
 * <p>Stateless and thread-safe; callers serialise appends (the store's transaction does).
 */
public final class AuditChain {
    /** The {@code prevHash} of the first event: 64 '0' characters. */
    public static final String GENESIS = "0".repeat(64);

    static final String TAG = "sallyport-audit-v1";

    private AuditChain() {}

    /** Lowercase hex SHA-256 over the canonical encoding described in the class Javadoc. */
    public static String computeHash(long seq, Instant time, String actor, String action, String objectType,
                                     String objectId, Map<String, String> details, String prevHash) {
        Objects.requireNonNull(time, "time");
        byte[] encoded = new Canonical()
                .str("tag", TAG)
                .i64(seq)
                .micros(time)
                .str("actor", actor)
                .str("action", action)
                .str("objectType", objectType)
                .optStr("objectId", objectId)
                .map("details", details == null ? Map.of() : details)
                .str("prevHash", prevHash)
                .toBytes();
        return Hashes.hex(Hashes.sha256(encoded));
    }

    /**
     * The event that follows {@code previousOrNull} (null for the first event, seq 1 after {@link #GENESIS}).
     * {@code time} is truncated to microseconds.
     */
    public static AuditEvent append(AuditEvent previousOrNull, AuditEventDraft draft, Instant time) {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(time, "time");
        long seq = previousOrNull == null ? 1 : Math.addExact(previousOrNull.seq(), 1);
        String prevHash = previousOrNull == null ? GENESIS : previousOrNull.hash();
        Instant t = time.truncatedTo(ChronoUnit.MICROS);
        String hash = computeHash(seq, t, draft.actor(), draft.action(), draft.objectType(), draft.objectId(),
                draft.details(), prevHash);
        return new AuditEvent(seq, t, draft.actor(), draft.action(), draft.objectType(), draft.objectId(),
                draft.details(), prevHash, hash);
    }

    /** The hash {@code e} should carry given its content; compare with {@code e.hash()}. */
    public static String recompute(AuditEvent e) {
        return computeHash(e.seq(), e.time(), e.actor(), e.action(), e.objectType(), e.objectId(), e.details(),
                e.prevHash());
    }
}
