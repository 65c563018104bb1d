package org.sallyport.broker.config;

/** The configuration cannot be used; the message names the file, the field (and line when known) and the problem. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
