package org.sallyport.policy.model;

import java.time.Duration;

/**
 * A live session so far. CEL: {@code session.bytesIn} (vendor to device), {@code session.bytesOut}
 * (device to vendor), {@code session.bytes} (both), {@code session.elapsed} (duration). All zero before
 * a session starts (admission).
 */
public record SessionInfo(long bytesIn, long bytesOut, Duration elapsed) {
    public static final SessionInfo NONE = new SessionInfo(0, 0, Duration.ZERO);

    public SessionInfo {
        elapsed = elapsed == null ? Duration.ZERO : elapsed;
    }
}
