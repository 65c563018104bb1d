package org.sallyport.broker.error;

/**
 * Base of every failure the broker reports to a caller. Messages are shown to users, so they never
 * contain a secret (password, token, device credential, key material).
 */
public abstract sealed class BrokerException extends RuntimeException
        permits InvalidInputException, UnauthenticatedException, ForbiddenException, NotFoundException,
        ConflictException, UnavailableException {

    protected BrokerException(String message) {
        super(message);
    }

    protected BrokerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** HTTP status this failure maps to. */
    public abstract int status();

    /** Short, stable title for the problem document. */
    public abstract String title();
}
