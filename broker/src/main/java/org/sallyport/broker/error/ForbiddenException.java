package org.sallyport.broker.error;

/** The caller is authenticated but not allowed to do this. HTTP 403. */
public final class ForbiddenException extends BrokerException {
    public ForbiddenException(String message) {
        super(message);
    }

    public ForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String title() {
        return "Forbidden";
    }
}
