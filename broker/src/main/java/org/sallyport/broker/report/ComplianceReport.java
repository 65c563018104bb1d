package org.sallyport.broker.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What third parties did in a period (DESIGN.md: the inspector general's "routinely assess third-party compliance"):
 * sessions per vendor and target, approvals and who gave them, policy violations with rule ids, terminated sessions,
 * and time used against the approved windows. Every row comes from an audit event whose seq is given, so each can be
 * traced to the verified chain (and to an evidence bundle of the same period).
 */
public record ComplianceReport(Instant from, Instant to, Instant generatedAt, String brokerKeyId, long firstSeq, long lastSeq,
                               long events, List<SessionRow> sessions, List<Decision> decisions, List<Violation> violations,
                               List<Termination> terminations) {
    /** A session that started in the period; {@code window} is its grant's notBefore..notAfter. */
    public record SessionRow(long seq, String sessionId, String user, String org, String target, String site, Instant start,
                             Instant end, String endReason, Duration used, Duration window) {}

    /** An approval or denial of an access request. */
    public record Decision(long seq, Instant at, String requestId, String requester, String org, String targets, String approver,
                           String verdict, String comment) {}

    /** A guard verdict (block or terminate) or a refusal, with the rule id that decided. */
    public record Violation(long seq, Instant at, String user, String org, String sessionId, String target, String ruleId,
                            String action, String reason) {}

    /** A session ended by someone or something other than the vendor: supervisor, revocation, policy. */
    public record Termination(long seq, Instant at, String sessionId, String user, String org, String target, String reason,
                              String by) {}
}
