package org.sallyport.broker.error;

/** A dependency the broker must not run without (store, audit log, keys) is not working: fail closed. HTTP 503. */
public final class UnavailableException extends BrokerException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String title() {
        return "Service unavailable";
    }
}
