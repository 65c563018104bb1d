package org.sallyport.recorder.recording;

import java.util.Map;
import java.util.Objects;
import org.sallyport.recorder.crypto.Hashes;
import org.sallyport.recorder.crypto.InvalidSignatureException;
import org.sallyport.recorder.crypto.VerifyingKey;
import org.sallyport.recorder.recording.RecordingVerificationException.Kind;
import org.sallyport.recorder.recording.RecordingVerificationException.Section;

/**
 * Checks a recording end to end and names the first problem (FORMAT.md, "Verification").
 *
 * <h2>Security guarantees</h2>
 * {@link #verify} (with the KEK): every chunk authenticates (AES-GCM) under the recording's data key, sits at
 * its index and links to its predecessor's hash; every frame is well-formed and in time order; the manifest is
 * signed by {@code signerKey} and agrees with the header, the chain head, the chunk count, the frame count and
 * the byte totals per direction. {@link #verifyWithoutKek} (public key only): the chain over the ciphertext and
 * the manifest signature, header hash, chain head and chunk count: an inspector without decryption rights can
 * tell that nothing was altered, removed or reordered, but not that the plaintext frames are well-formed.
 *
 * <h2>Restrictions</h2>
 * A file with no manifest verifies only up to its last sealed chunk, and the result says so
 * ({@code complete=false}): whoever controls the storage can cut a recording short and it will look like a
 * crash. Treat an incomplete recording of a session that ended normally as suspect, and cross-check with the
 * audit log (which records the session end and the recording id). The signer key must be obtained independently
 * of the file. Thread-safe (stateless).
 */
public final class RecordingVerifier {
    private RecordingVerifier() {}

    /**
     * Full verification, decrypting every chunk.
     *
     * @param keks key-encryption keys by kek id
     * @throws RecordingVerificationException naming the first problem and its place in the file
     */
    public static VerificationResult verify(RecordingSource source, Map<String, byte[]> keks, VerifyingKey signerKey) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(keks, "keks");
        Objects.requireNonNull(signerKey, "signerKey");
        RecordingScan scan = RecordingScan.start(source, keks);
        if (scan.header == null) return headerMissing(scan);
        long frames = 0;
        long[] totals = new long[Direction.values().length];
        for (Frame f = scan.nextFrame(); f != null; f = scan.nextFrame()) {
            frames++;
            totals[f.direction().ordinal()] += f.length();
        }
        return finish(scan, signerKey, frames, totals);
    }

    /**
     * Full verification with the recording's data key itself (as re-wrapped for an inspector in an evidence bundle).
     *
     * @throws RecordingVerificationException naming the first problem and its place in the file; a wrong data key
     *         shows as {@code CHUNK_ALTERED} at chunk 0
     */
    public static VerificationResult verifyWithDataKey(RecordingSource source, byte[] dataKey, VerifyingKey signerKey) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dataKey, "dataKey");
        Objects.requireNonNull(signerKey, "signerKey");
        RecordingScan scan = RecordingScan.startWithDataKey(source, dataKey);
        if (scan.header == null) return headerMissing(scan);
        long frames = 0;
        long[] totals = new long[Direction.values().length];
        for (Frame f = scan.nextFrame(); f != null; f = scan.nextFrame()) {
            frames++;
            totals[f.direction().ordinal()] += f.length();
        }
        return finish(scan, signerKey, frames, totals);
    }

    /**
     * Integrity check with only the signer's public key and no KEK: framing, chunk indexes, the hash chain over
     * the sealed chunks and the manifest (signature, header hash, chain head, chunk count).
     *
     * @throws RecordingVerificationException naming the first problem and its place in the file
     */
    public static VerificationResult verifyWithoutKek(RecordingSource source, VerifyingKey signerKey) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(signerKey, "signerKey");
        RecordingScan scan = RecordingScan.start(source, null);
        if (scan.header == null) return headerMissing(scan);
        while (scan.nextChunk() != null) {
            // each call verifies one chunk's framing and link
        }
        return finish(scan, signerKey, -1, null);
    }

    private static VerificationResult headerMissing(RecordingScan scan) {
        return new VerificationResult(false, scan.decrypting(), 0, scan.decrypting() ? 0 : -1, 0, null, null,
                "nothing verifiable: " + scan.endReason);
    }

    private static VerificationResult finish(RecordingScan scan, VerifyingKey signerKey, long frames, long[] totals) {
        boolean decrypted = totals != null;
        String what = decrypted ? "decrypted and verified " : "verified the chain of ";
        if (scan.end != RecordingScan.End.MANIFEST) {
            String why = scan.end == RecordingScan.End.EOF
                    ? "no manifest follows: the recording was not closed (crash, or still being written)"
                    : scan.endReason + " (partial record: cut off while writing)";
            String where = scan.nextIndex == 0 ? "truncated before chunk 0" : "truncated after chunk " + (scan.nextIndex - 1);
            return new VerificationResult(false, decrypted, scan.nextIndex, frames, scan.stopOffset, scan.header, null,
                    "incomplete: " + where + "; " + what + scan.nextIndex + " sealed chunks up to offset " + scan.stopOffset
                            + "; " + why);
        }
        Format.ParsedManifest pm = scan.manifest;
        Manifest m = pm.manifest();
        long at = scan.manifestOffset;
        try {
            signerKey.verify(pm.encoded(), pm.signature());
        } catch (InvalidSignatureException e) {
            throw new RecordingVerificationException(Kind.MANIFEST_SIGNATURE, Section.MANIFEST, -1, at,
                    "signature does not verify with key " + signerKey.keyId() + " (manifest names signer key "
                            + m.signerKeyId() + "): " + e.getMessage());
        }
        FileHeader h = scan.header;
        if (!m.headerHash().equals(h.headerHash())) {
            throw new RecordingVerificationException(Kind.HEADER_ALTERED, Section.HEADER, -1, Format.MAGIC.length,
                    "the signed manifest commits to header hash " + m.headerHash() + " but the header hashes to "
                            + h.headerHash());
        }
        mismatch(at, "recordingId", m.recordingId(), h.recordingId());
        mismatch(at, "sessionId", m.sessionId(), h.header().sessionId());
        mismatch(at, "createdAt", m.createdAt(), h.createdAt());
        mismatch(at, "kekId", m.kekId(), h.kekId());
        mismatch(at, "signerKeyId", m.signerKeyId(), h.signerKeyId());
        mismatch(at, "chunkCount", m.chunkCount(), scan.nextIndex);
        mismatch(at, "chainHead", m.chainHead(), Hashes.hex(scan.prev));
        if (decrypted) {
            mismatch(at, "frameCount", m.frameCount(), frames);
            for (Direction d : Direction.values()) {
                mismatch(at, d.name().toLowerCase(java.util.Locale.ROOT) + "Bytes", m.bytes(d), totals[d.ordinal()]);
            }
        }
        return new VerificationResult(true, decrypted, scan.nextIndex, frames, scan.stopOffset, h, m,
                "complete: " + what + scan.nextIndex + " chunks" + (decrypted ? " and " + frames + " frames" : "")
                        + "; manifest signed by " + signerKey.keyId() + " agrees");
    }

    private static void mismatch(long at, String field, Object inManifest, Object inFile) {
        if (!inManifest.equals(inFile)) {
            throw new RecordingVerificationException(Kind.MANIFEST_MISMATCH, Section.MANIFEST, -1, at,
                    "manifest " + field + " is " + inManifest + " but the file has " + inFile);
        }
    }
}
