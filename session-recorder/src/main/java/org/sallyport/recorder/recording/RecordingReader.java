package org.sallyport.recorder.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sallyport.recorder.recording.RecordingVerificationException.Kind;
import org.sallyport.recorder.recording.RecordingVerificationException.Section;

/**
 * Streams the frames of a recording in order, decrypting one chunk at a time (memory bounded by the chunk size).
 *
 * <h2>Security guarantees</h2>
 * Every frame returned comes from a chunk that AES-GCM authenticated under this recording's data key and that
 * sits at its place in the hash chain: nothing altered, reordered or spliced in from another recording is ever
 * returned; the first such chunk throws {@link RecordingVerificationException} naming it.
 *
 * <h2>Restrictions</h2>
 * {@link #manifest()} is parsed but <em>not</em> signature-checked: use {@link RecordingVerifier} for evidence.
 * A recording cut off by a crash reads up to its last sealed chunk; {@link #complete()} then stays false. Not
 * thread-safe.
 */
public final class RecordingReader implements AutoCloseable {
    private final RecordingSource source;
    private final RecordingScan scan;
    private final Manifest manifest;
    private boolean done;

    private RecordingReader(RecordingSource source, RecordingScan scan, Manifest manifest) {
        this.source = source;
        this.scan = scan;
        this.manifest = manifest;
    }

    /**
     * Opens a recording: reads the header and unwraps the data key with the KEK named by its kek id.
     *
     * @param keks key-encryption keys by kek id (32 bytes each)
     * @throws RecordingVerificationException if the header is malformed or incomplete, the kek id is not in
     *         {@code keks} ({@link Kind#UNKNOWN_KEK}), or the KEK does not unwrap the data key ({@link Kind#WRONG_KEK})
     */
    public static RecordingReader open(RecordingSource source, Map<String, byte[]> keks) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(keks, "keks");
        RecordingScan scan = RecordingScan.start(source, keks);
        if (scan.header == null) {
            throw new RecordingVerificationException(Kind.MALFORMED_RECORD, Section.HEADER, -1, 0,
                    "incomplete recording: " + scan.endReason);
        }
        Manifest m = RecordingScan.findManifest(source).map(Format.ParsedManifest::manifest).orElse(null);
        return new RecordingReader(source, scan, m);
    }

    public FileHeader header() {
        return scan.header;
    }

    /** The manifest if the file has one, <em>unverified</em> (see the class comment). */
    public Optional<Manifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    /**
     * The next frame, or null after the last frame of the last sealed chunk.
     *
     * @throws RecordingVerificationException at the first chunk that does not authenticate or link
     */
    public Frame next() {
        if (done) return null;
        Frame f = scan.nextFrame();
        if (f == null) done = true;
        return f;
    }

    /** After {@link #next()} returned null: whether a manifest closed the recording (false: cut off or still open). */
    public boolean complete() {
        return done && scan.end == RecordingScan.End.MANIFEST;
    }

    /** Chunks read so far. */
    public long chunksRead() {
        return scan.nextIndex;
    }

    /** Closes the source. */
    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
