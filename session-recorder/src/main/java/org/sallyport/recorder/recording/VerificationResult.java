package org.sallyport.recorder.recording;

import java.util.Optional;

/**
 * What a successful {@link RecordingVerifier} run established. Anything corrupt throws
 * {@link RecordingVerificationException} instead; this result only distinguishes a closed recording from one cut
 * off (crash, disk full, still being written).
 *
 * @param complete true if a manifest signed by the expected key closes the recording and agrees with it
 * @param decrypted true if the chunks were decrypted and their frames checked (a KEK was given); false for the
 *                  public-key-only check of the chain and manifest
 * @param sealedChunks chunks that verified
 * @param frames frames in those chunks, or -1 when not {@code decrypted}
 * @param stopOffset file offset just past the last record that verified (the manifest when complete)
 * @param header the file header, or null if the file ends before the header is complete
 * @param manifest the verified manifest, or null when not complete
 * @param message a sentence for people: what was verified and, if incomplete, where and why it stops
 */
public record VerificationResult(boolean complete, boolean decrypted, long sealedChunks, long frames, long stopOffset,
                                 FileHeader header, Manifest manifest, String message) {
    public Optional<Manifest> manifestIfComplete() {
        return Optional.ofNullable(manifest);
    }
}
