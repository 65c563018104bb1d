package org.sallyport.broker.cli.client;

/**
 * Result of walking an audit chain and its signed checkpoints, online ({@code GET /api/audit/verify}) or offline
 * ({@link OfflineAuditVerifier}). When {@code ok} is false, {@code failedSeq} (may be {@code null} if the break is
 * not at one event, e.g. a bad checkpoint signature), {@code failureKind} and {@code message} name the first break.
 */
public record VerificationOutcome(boolean ok, long events, long firstSeq, long lastSeq, String headHash,
                                  int checkpointsVerified, Long failedSeq, String failureKind, String message) {

    /** The one-line summary the CLI prints. */
    public String summary() {
        if (ok) {
            return "audit chain OK: " + events + " events (seq " + firstSeq + ".." + lastSeq + "), "
                    + checkpointsVerified + " signed checkpoints, head " + headHash;
        }
        String what = message == null || message.isBlank() ? (failureKind == null ? "verification failed" : failureKind) : message;
        return failedSeq == null ? "audit chain BROKEN: " + what : "audit chain BROKEN at event " + failedSeq + ": " + what;
    }
}
