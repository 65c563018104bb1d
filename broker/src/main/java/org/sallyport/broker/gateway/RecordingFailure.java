package org.sallyport.broker.gateway;

/** The recording could not take bytes: the caller must not forward them, and the session ends (fail closed). */
final class RecordingFailure extends RuntimeException {
    RecordingFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
