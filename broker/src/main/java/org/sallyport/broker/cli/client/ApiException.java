package org.sallyport.broker.cli.client;

/**
 * The broker answered with an error: an RFC 9457 problem document, or a non-JSON error page from something in front
 * of it. {@code detail} is the one line shown to the user; {@code field} names the offending input when known.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String detail;
    private final String field;

    public ApiException(int status, String detail, String field) {
        super(detail);
        this.status = status;
        this.detail = detail;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /** The offending field, or {@code null} when the problem names none. */
    public String field() {
        return field;
    }
}
