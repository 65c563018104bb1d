package org.sallyport.broker.error;

/** The object is not in a state that allows this (e.g. deciding a request twice). HTTP 409. */
public final class ConflictException extends BrokerException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String title() {
        return "Conflict";
    }
}
