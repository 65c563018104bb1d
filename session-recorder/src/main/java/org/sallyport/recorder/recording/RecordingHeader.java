package org.sallyport.recorder.recording;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the gateway says about a recording when it starts it. Stored in clear in the file header (not secret:
 * an inspector without decryption rights sees it), bound into the chain and the signed manifest.
 *
 * @param recordingId unique id of this recording (e.g. a UUID); bound into every chunk's associated data
 * @param sessionId the session being recorded
 * @param attributes free-form, non-secret labels; the asciicast exporter reads {@link #TERM_COLS} and
 *                   {@link #TERM_ROWS}
 */
public record RecordingHeader(String recordingId, String sessionId, Map<String, String> attributes) {
    /** Attribute: initial terminal width in columns. */
    public static final String TERM_COLS = "term.cols";
    /** Attribute: initial terminal height in rows. */
    public static final String TERM_ROWS = "term.rows";

    public RecordingHeader {
        Format.requireText("recordingId", recordingId);
        Format.requireText("sessionId", sessionId);
        Objects.requireNonNull(attributes, "attributes");
        TreeMap<String, String> copy = new TreeMap<>();
        attributes.forEach((k, v) -> {
            Format.requireText("attributes key", k);
            Format.utf8("attributes[" + k + "]", Objects.requireNonNull(v, "attributes[" + k + "]"));
            copy.put(k, v);
        });
        attributes = java.util.Collections.unmodifiableMap(copy);
    }

    public RecordingHeader(String recordingId, String sessionId) {
        this(recordingId, sessionId, Map.of());
    }
}
