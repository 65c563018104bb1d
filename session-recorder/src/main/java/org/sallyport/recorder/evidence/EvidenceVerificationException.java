package org.sallyport.recorder.evidence;

import java.util.Objects;

/**
 * An evidence bundle does not verify, at a named place: the file in the bundle, and where it applies the audit event's
 * sequence number, the line, or the recording chunk. {@link #unusableInput()} tells "not a bundle at all / cannot be
 * read" (CLI exit 2) from "a bundle that was altered" (exit 1).
 */
public final class EvidenceVerificationException extends RuntimeException {
    /** What failed. */
    public enum Kind {
        /** Not a zip file at all, or the file cannot be read; also a pinned key file that is not a key. */
        UNUSABLE_INPUT,
        /** Starts like a zip but its structure is broken (e.g. truncated: no central directory). */
        BUNDLE_CORRUPT,
        /** A file listed in the signed manifest is absent. */
        MISSING_FILE,
        /** A file is present that the signed manifest does not list (or appears twice). */
        EXTRA_FILE,
        /** The detached signature over MANIFEST.json does not verify. */
        SIGNATURE,
        /** The bundle is signed by another key than the one pinned with --key. */
        KEY_MISMATCH,
        /** A file's size or SHA-256 differs from the signed manifest. */
        DIGEST_MISMATCH,
        /** A file cannot be parsed (line named). */
        MALFORMED,
        /** The chain segment is broken: edited, deleted, inserted or reordered events, bad checkpoint (seq named). */
        CHAIN_BROKEN,
        /** The segment is not pinned by signed checkpoints at both ends. */
        CHAIN_NOT_ANCHORED,
        /** events.jsonl has an event that is not the chain's, is out of order, or misses one of the period. */
        EVENT_MISMATCH,
        /** events.csv does not say what events.jsonl says. */
        CSV_MISMATCH,
        /** The session index disagrees with the session.started / session.ended events. */
        SESSION_MISMATCH,
        /** A recording does not verify (chunk named), or is another session's recording. */
        RECORDING,
        /** A recording the index names is not in the bundle (or the broker could not supply it). */
        RECORDING_MISSING,
        /** evidence.json's summary disagrees with the contents. */
        SUMMARY_MISMATCH
    }

    private final Kind kind;
    private final String file;
    private final long seq;
    private final long chunk;

    public EvidenceVerificationException(Kind kind, String file, long seq, long chunk, String message) {
        super(kind + (file == null ? "" : " in " + file) + (seq > 0 ? " at event " + seq : "")
                + (chunk >= 0 ? " at chunk " + chunk : "") + ": " + message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.file = file;
        this.seq = seq;
        this.chunk = chunk;
    }

    static EvidenceVerificationException of(Kind kind, String file, String message) {
        return new EvidenceVerificationException(kind, file, 0, -1, message);
    }

    public Kind kind() {
        return kind;
    }

    /** Path inside the bundle, or null when the bundle as a whole is at fault. */
    public String file() {
        return file;
    }

    /** Audit event sequence number, or 0. */
    public long seq() {
        return seq;
    }

    /** Recording chunk index, or -1. */
    public long chunk() {
        return chunk;
    }

    /** True when the input is not a bundle at all (exit 2), false when it is one that does not verify (exit 1). */
    public boolean unusableInput() {
        return kind == Kind.UNUSABLE_INPUT;
    }
}
