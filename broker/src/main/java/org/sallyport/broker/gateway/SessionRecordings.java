package org.sallyport.broker.gateway;

import java.nio.file.Path;
import java.time.Clock;
import org.sallyport.recorder.crypto.SigningKey;

/** PLACEHOLDER until the recording format lands: refuses every session (fail closed). */
public final class SessionRecordings {
    private SessionRecordings() {}

    public static Recordings open(Path dir, byte[] kek, SigningKey signer, Clock clock) {
        return (admission, kind, command) -> {
            throw new RecordingFailure("recording format not available", null);
        };
    }
}
