package org.sallyport.broker.error;

/** No valid credentials or token; sign in again. HTTP 401. */
public final class UnauthenticatedException extends BrokerException {
    public UnauthenticatedException(String message) {
        super(message);
    }

    public UnauthenticatedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String title() {
        return "Authentication required";
    }
}
