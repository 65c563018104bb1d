package org.sallyport.recorder.recording;

import java.time.Instant;

/**
 * The totals written and signed at close (FORMAT.md, "Manifest record"). Hashes are lowercase hex.
 *
 * @param chainHead hash of the last chunk record, or {@code headerHash} if there are no chunks
 */
public record Manifest(int formatVersion, String recordingId, String sessionId, Instant createdAt, Instant closedAt,
                       long frameCount, long inputBytes, long outputBytes, long eventBytes, long chunkCount,
                       String headerHash, String chainHead, String kekId, String signerKeyId) {
    /** Payload bytes recorded in {@code direction}. */
    public long bytes(Direction direction) {
        return switch (direction) {
            case INPUT -> inputBytes;
            case OUTPUT -> outputBytes;
            case EVENT -> eventBytes;
        };
    }
}
