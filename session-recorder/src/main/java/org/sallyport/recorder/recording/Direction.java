package org.sallyport.recorder.recording;

/** Which way a frame's bytes went. The {@link #code()} is what the file stores (FORMAT.md, "Frame"). */
public enum Direction {
    /** Vendor to device (keystrokes, requests). */
    INPUT(0),
    /** Device to vendor (terminal output, responses). */
    OUTPUT(1),
    /** Metadata from the gateway: small UTF-8 JSON objects such as resize, exit status, policy verdicts. */
    EVENT(2);

    private final int code;

    Direction(int code) {
        this.code = code;
    }

    /** The byte stored in the file. */
    public int code() {
        return code;
    }

    /** @return the direction for {@code code}, or null if no direction has it */
    static Direction ofCode(int code) {
        for (Direction d : values()) if (d.code == code) return d;
        return null;
    }
}
