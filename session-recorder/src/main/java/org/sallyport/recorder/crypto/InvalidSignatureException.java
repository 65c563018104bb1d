package org.sallyport.recorder.crypto;

/**
 * A signature does not verify. Unchecked on purpose (Tink style): {@code verify} returns nothing and throws,
 * so no caller can forget to look at a boolean. Named so it cannot be confused with
 * {@link java.security.SignatureException}.
 */
public final class InvalidSignatureException extends RuntimeException {
    public InvalidSignatureException(String message) {
        super(message);
    }

    public InvalidSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
