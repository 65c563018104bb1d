package org.sallyport.broker.cli.client;

import java.time.Instant;

/**
 * What {@code sallyport login} remembers: the broker, the user, the bearer token and when it expires, and the CA
 * file used to reach that broker ({@code null} for the JDK's default trust). {@link #toString()} never shows the token.
 */
public record Session(String url, String username, String accessToken, Instant expiresAt, String caFile) {

    public boolean expiredAt(Instant now) {
        return expiresAt == null || !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Session[url=" + url + ", username=" + username + ", expiresAt=" + expiresAt + ", caFile=" + caFile + "]";
    }
}
