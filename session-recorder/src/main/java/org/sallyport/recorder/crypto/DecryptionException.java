package org.sallyport.recorder.crypto;

/** A sealed box could not be opened. The message never contains key or plaintext bytes. */
public final class DecryptionException extends RuntimeException {
    public DecryptionException(String message) {
        super(message);
    }

    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
