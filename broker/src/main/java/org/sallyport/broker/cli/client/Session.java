package org.sallyport.broker.cli.client;

import java.time.Instant;

/**
 * What {@code sallyport login} remembers: the broker, the user, the bearer token and when it expires, the CA file used
 * to reach that broker ({@code null} for the JDK's default trust), and, for vendor technicians, how to reach the SSH
 * gateway ({@code ssh}; {@code null} for other roles, for a broker without SSH certificates, and in session files
 * written before it existed). {@link #toString()} never shows the token.
 */
public record Session(String url, String username, String accessToken, Instant expiresAt, String caFile, SshAccess ssh) {

    /** A session without SSH access. */
    public Session(String url, String username, String accessToken, Instant expiresAt, String caFile) {
        this(url, username, accessToken, expiresAt, caFile, null);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt == null || !now.isBefore(expiresAt);
    }

    public Session withSsh(SshAccess access) {
        return new Session(url, username, accessToken, expiresAt, caFile, access);
    }

    @Override
    public String toString() {
        return "Session[url=" + url + ", username=" + username + ", expiresAt=" + expiresAt + ", caFile=" + caFile
                + ", ssh=" + ssh + "]";
    }
}
