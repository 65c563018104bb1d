package org.sallyport.broker.error;

/** Bad input: names the offending field and why. HTTP 400 (or 413/415 when given), CLI exit 2. */
public final class InvalidInputException extends BrokerException {
    private final String field;
    private final int status;

    public InvalidInputException(String field, String reason) {
        this(field, reason, 400);
    }

    public InvalidInputException(String field, String reason, int status) {
        super(field == null ? reason : field + ": " + reason);
        this.field = field;
        this.status = status;
    }

    public String field() {
        return field;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String title() {
        return "Invalid input";
    }
}
