package org.sallyport.recorder.recording;

import java.time.Instant;

/**
 * The header as stored in a recording file (FORMAT.md, "Header record"), without the wrapped data key.
 *
 * @param formatVersion {@link Format#VERSION}
 * @param header what the gateway supplied
 * @param createdAt wall-clock time at creation, to the microsecond
 * @param maxChunkBytes upper bound on a chunk's plaintext length, chosen by the writer
 * @param kekId id of the key-encryption key that wraps the data key
 * @param signerKeyId key id of the Ed25519 key that is to sign the manifest
 * @param headerHash lowercase hex SHA-256 of magic and header record: the chain's starting point
 */
public record FileHeader(int formatVersion, RecordingHeader header, Instant createdAt, int maxChunkBytes,
                         String kekId, String signerKeyId, String headerHash) {
    public String recordingId() {
        return header.recordingId();
    }
}
