package org.sallyport.broker.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A validated request for a maintenance window, as submitted (start null = now). */
public record NewRequest(List<String> targets, Instant start, Duration duration, String reason, String ticket) {
    public NewRequest {
        targets = List.copyOf(targets);
    }
}
