package org.sallyport.recorder.recording;

import java.util.Map;
import java.util.Objects;
import org.sallyport.recorder.recording.RecordingVerificationException.Kind;
import org.sallyport.recorder.recording.RecordingVerificationException.Section;

/**
 * Access to a recording's own data key, for re-wrapping it to another party (an inspector's evidence bundle) so
 * that the recording file can be handed over byte for byte, its signed manifest still verifying, without
 * disclosing the broker's key-encryption key.
 *
 * <h2>Restrictions</h2>
 * Whoever holds a data key can read that one recording; callers must only ever hand it over sealed (HPKE) and
 * should wipe their copy after use.
 */
public final class RecordingKeys {
    private RecordingKeys() {}

    /**
     * Unwraps the data key with the KEK named in the header.
     *
     * @throws RecordingVerificationException as {@link RecordingReader#open} does
     */
    public static byte[] dataKey(RecordingSource source, Map<String, byte[]> keks) {
        Objects.requireNonNull(keks, "keks");
        RecordingScan scan = RecordingScan.start(Objects.requireNonNull(source, "source"), keks);
        if (scan.header == null) {
            throw new RecordingVerificationException(Kind.MALFORMED_RECORD, Section.HEADER, -1, 0,
                    "incomplete recording: " + scan.endReason);
        }
        return scan.dataKeyCopy();
    }

    /**
     * Reads only the clear-text header (no key needed, nothing verified beyond its framing).
     *
     * @throws RecordingVerificationException if the header is malformed or incomplete
     */
    public static FileHeader header(RecordingSource source) {
        RecordingScan scan = RecordingScan.start(Objects.requireNonNull(source, "source"), null);
        if (scan.header == null) {
            throw new RecordingVerificationException(Kind.MALFORMED_RECORD, Section.HEADER, -1, 0,
                    "incomplete recording: " + scan.endReason);
        }
        return scan.header;
    }
}
