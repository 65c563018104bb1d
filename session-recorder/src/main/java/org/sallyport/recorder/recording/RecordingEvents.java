package org.sallyport.recorder.recording;

import java.nio.charset.StandardCharsets;

/** Builders for the {@link Direction#EVENT} payloads the exporters understand (small UTF-8 JSON objects). */
public final class RecordingEvents {
    private RecordingEvents() {}

    /** {@code {"type":"resize","cols":C,"rows":R}}. */
    public static byte[] resize(int cols, int rows) {
        if (cols <= 0 || rows <= 0) throw new IllegalArgumentException("cols and rows must be positive, got " + cols + "x" + rows);
        return ("{\"type\":\"resize\",\"cols\":" + cols + ",\"rows\":" + rows + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"type":"exit-status","status":S}}. */
    public static byte[] exitStatus(int status) {
        return ("{\"type\":\"exit-status\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
    }
}
