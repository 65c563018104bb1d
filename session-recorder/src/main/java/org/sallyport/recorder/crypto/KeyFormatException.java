package org.sallyport.recorder.crypto;

/** A key, PEM text or key file is malformed; the message names what is wrong (and the file, if any), never key bytes. */
public final class KeyFormatException extends RuntimeException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
