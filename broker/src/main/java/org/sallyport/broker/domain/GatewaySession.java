package org.sallyport.broker.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One live or past connection through the gateway under a grant.
 *
 * @param kind      "shell" or "exec"
 * @param command   the exec command line, null for a shell
 * @param bytesIn   bytes from the vendor towards the device
 * @param bytesOut  bytes from the device towards the vendor
 * @param recordingHead the recording's final chain hash, set when the session ended
 */
public record GatewaySession(String id, String grantId, String requestId, String username, String org, String targetId,
                             String site, String kind, String command, Instant startedAt, Instant endedAt,
                             SessionEndReason endReason, long bytesIn, long bytesOut, String recordingId,
                             String recordingHead) {
    public GatewaySession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    public boolean live() {
        return endedAt == null;
    }
}
