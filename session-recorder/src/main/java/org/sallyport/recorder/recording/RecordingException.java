package org.sallyport.recorder.recording;

/**
 * The recording cannot be written: the sink failed (now or earlier), or the writer is closed. The gateway must
 * end the session and must not forward the bytes whose {@code append} threw (fail closed).
 */
public final class RecordingException extends RuntimeException {
    public RecordingException(String message) {
        super(message);
    }

    public RecordingException(String message, Throwable cause) {
        super(message, cause);
    }
}
