package org.sallyport.recorder.audit;

/**
 * What {@link AuditVerifier} walked and found intact.
 *
 * @param events              number of events walked
 * @param firstSeq            the expected first sequence number (also when {@code events == 0})
 * @param lastSeq             sequence number of the last event; {@code firstSeq - 1} when there were none
 * @param headHash            hash of the last event; the expected first prevHash when there were none
 * @param checkpointsVerified signed checkpoints that matched an event (including an anchor checkpoint at
 *                            {@code firstSeq - 1})
 */
public record VerificationReport(long events, long firstSeq, long lastSeq, String headHash, int checkpointsVerified) {}
