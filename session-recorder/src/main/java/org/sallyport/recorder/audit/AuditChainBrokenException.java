package org.sallyport.recorder.audit;

import java.util.Objects;

/** The audit chain is broken at {@link #seq()}; the message says how, in words an inspector can act on. */
public final class AuditChainBrokenException extends RuntimeException {
    /** How the chain is broken. */
    public enum Kind {
        /** An event's hash does not match its content: the event was edited. */
        HASH_MISMATCH,
        /** One or more sequence numbers are missing: events were deleted. */
        SEQUENCE_GAP,
        /** A sequence number repeats or goes backwards: an event was inserted, duplicated or moved. */
        DUPLICATE_OR_REORDERED,
        /** An event's prevHash is not its predecessor's hash: an event was inserted or replaced. */
        PREV_HASH_MISMATCH,
        /** A validly signed checkpoint names a different head hash than the event at its seq: chain rewritten. */
        CHECKPOINT_MISMATCH,
        /** A checkpoint's signature does not verify with the given key (forged, or another key). */
        CHECKPOINT_SIGNATURE,
        /** A validly signed checkpoint is beyond the last event: events were deleted from the tail. */
        CHECKPOINT_MISSING_EVENT
    }

    private final Kind kind;
    private final long seq;

    public AuditChainBrokenException(Kind kind, long seq, String message) {
        this(kind, seq, message, null);
    }

    public AuditChainBrokenException(Kind kind, long seq, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.seq = seq;
    }

    public Kind kind() {
        return kind;
    }

    /** The sequence number where the chain breaks (for a gap: the first missing one). */
    public long seq() {
        return seq;
    }
}
