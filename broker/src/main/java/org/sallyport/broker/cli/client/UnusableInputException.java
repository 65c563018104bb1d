package org.sallyport.broker.cli.client;

/** What the user gave cannot be used (bad option value, missing session, unreadable CA file): exit code 2. */
public final class UnusableInputException extends RuntimeException {
    public UnusableInputException(String message) {
        super(message);
    }

    public UnusableInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
