package org.sallyport.recorder.recording;

/**
 * A recording does not verify (or cannot be read) at a named place: which part of the file, which chunk, and the
 * byte offset in the file where the offending record starts. Unchecked on purpose: verifiers return nothing to
 * forget and throw instead.
 */
public final class RecordingVerificationException extends RuntimeException {
    /** What went wrong. */
    public enum Kind {
        /** Not a recording file (first bytes are not the magic). */
        BAD_MAGIC,
        /** A recording of a format version this code does not read. */
        UNSUPPORTED_VERSION,
        /** A record's framing or fields are malformed (CRC of the record prefix, length, tag, field encoding). */
        MALFORMED_RECORD,
        /** The header does not match what chunk 0 or the signed manifest commit to. */
        HEADER_ALTERED,
        /** No key-encryption key with the header's kek id was supplied. */
        UNKNOWN_KEK,
        /** The supplied key-encryption key does not unwrap the data key. */
        WRONG_KEK,
        /** A chunk's ciphertext, tag, index or previous-hash field was altered (AES-GCM authentication failed). */
        CHUNK_ALTERED,
        /** An authentic chunk is out of place: removed, reordered, duplicated or moved from another recording. */
        CHAIN_BROKEN,
        /** A decrypted chunk holds a malformed frame (or timestamps that go backwards). */
        MALFORMED_FRAME,
        /** The manifest signature does not verify with the expected key, or was made by another key. */
        MANIFEST_SIGNATURE,
        /** The signed manifest disagrees with the file (ids, header hash, chain head, counts, totals). */
        MANIFEST_MISMATCH,
        /** Bytes after the manifest. */
        TRAILING_DATA
    }

    /** Which part of the file. */
    public enum Section { HEADER, CHUNK, MANIFEST }

    private final Kind kind;
    private final Section section;
    private final long chunkIndex;
    private final long offset;

    RecordingVerificationException(Kind kind, Section section, long chunkIndex, long offset, String message) {
        super(kind + " at " + describe(section, chunkIndex, offset) + ": " + message);
        this.kind = kind;
        this.section = section;
        this.chunkIndex = chunkIndex;
        this.offset = offset;
    }

    private static String describe(Section section, long chunkIndex, long offset) {
        return switch (section) {
            case HEADER -> "header (file offset " + offset + ")";
            case CHUNK -> "chunk " + chunkIndex + " (file offset " + offset + ")";
            case MANIFEST -> "manifest (file offset " + offset + ")";
        };
    }

    public Kind kind() {
        return kind;
    }

    public Section section() {
        return section;
    }

    /** Index of the chunk at fault, or -1 when {@link #section()} is not {@link Section#CHUNK}. */
    public long chunkIndex() {
        return chunkIndex;
    }

    /** Byte offset in the file of the start of the record at fault (0 for the magic). */
    public long offset() {
        return offset;
    }
}
