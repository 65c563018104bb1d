package org.sallyport.broker.cli.client;

/** The input was fine but the operation could not be done (broker unreachable, TLS failure, garbled answer): exit 1. */
public final class OperationFailedException extends RuntimeException {
    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
