package org.sallyport.broker.error;

/** The named object does not exist or is not visible to the caller. HTTP 404. */
public final class NotFoundException extends BrokerException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String title() {
        return "Not found";
    }
}
