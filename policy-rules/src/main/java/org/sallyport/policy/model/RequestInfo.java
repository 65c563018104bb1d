package org.sallyport.policy.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The maintenance window asked for. CEL: {@code request.start} (timestamp), {@code request.duration}
 * (duration), {@code request.reason}, {@code request.ticket} ("" when none).
 */
public record RequestInfo(Instant start, Duration duration, String reason, String ticket) {
    public RequestInfo {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        reason = reason == null ? "" : reason;
        ticket = ticket == null ? "" : ticket;
    }

    public Instant end() {
        return start.plus(duration);
    }
}
