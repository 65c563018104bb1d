package org.sallyport.recorder.evidence;

/** How a bundle carries the recordings of its sessions. */
public enum RecordingMode {
    /** No recordings, only the session index. */
    NONE("none"),
    /** Each recording's signed manifest ({@code recordings/<id>.manifest.json}): proves what was recorded, not the bytes. */
    MANIFESTS("manifests"),
    /** Each recording file byte for byte, still sealed to the broker's key-encryption key (verifiable, not readable). */
    SEALED("sealed"),
    /** Each recording file byte for byte, plus its data key sealed to the inspector's X25519 key with HPKE. */
    RECIPIENT("recipient");

    private final String wireName;

    RecordingMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static RecordingMode fromWireName(String s) {
        for (RecordingMode m : values()) if (m.wireName.equals(s)) return m;
        throw new IllegalArgumentException("unknown recordings mode \"" + s + "\"");
    }
}
