package org.sallyport.broker.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.error.InvalidInputException;
import org.sallyport.broker.store.AuditFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.recorder.audit.AuditEvent;

/**
 * Builds a {@link ComplianceReport} by reading the period's audit events page by page and looking up the sessions,
 * requests and grants they name. Memory grows with the period's sessions, decisions and violations, not its events.
 *
 * <p>Threading: blocking; call from a virtual thread or worker.
 */
public final class ComplianceReportBuilder {
    private static final int PAGE = 2000;

    private final Store store;
    private final String brokerKeyId;
    private final Clock clock;

    public ComplianceReportBuilder(Store store, String brokerKeyId, Clock clock) {
        this.store = store;
        this.brokerKeyId = brokerKeyId;
        this.clock = clock;
    }

    public ComplianceReport build(Instant from, Instant to) {
        if (!from.isBefore(to)) throw new InvalidInputException("to", "must be after from");
        Map<String, Optional<GatewaySession>> sessions = new HashMap<>();
        Map<String, Optional<AccessRequest>> requests = new HashMap<>();
        Map<String, Long> startSeq = new LinkedHashMap<>();
        Map<String, String> terminatedBy = new HashMap<>();
        List<ComplianceReport.Decision> decisions = new ArrayList<>();
        List<ComplianceReport.Violation> violations = new ArrayList<>();
        List<ComplianceReport.Termination> terminations = new ArrayList<>();
        long first = 0;
        long last = 0;
        long count = 0;
        long after = 0;
        while (true) {
            long a = after;
            List<AuditEvent> page = store.inTransaction(tx -> tx.searchAudit(new AuditFilter(from, to, null, null, null, a, PAGE)));
            for (AuditEvent e : page) {
                if (first == 0) first = e.seq();
                last = e.seq();
                count++;
                String action = e.action();
                if (action.equals("session.started")) {
                    startSeq.put(e.objectId(), e.seq());
                } else if (action.equals("session.terminate-requested")) {
                    terminatedBy.put(e.objectId(), e.actor());
                } else if (action.equals("session.ended")) {
                    String reason = e.details().getOrDefault("reason", "");
                    if (!reason.equals("completed") && !reason.equals("expired")) {
                        GatewaySession s = session(sessions, e.objectId());
                        String by = terminatedBy.getOrDefault(e.objectId(), reason.equals("policy-violation") ? "policy" : "system");
                        terminations.add(new ComplianceReport.Termination(e.seq(), e.time(), e.objectId(), s == null ? "?" : s.username(),
                                s == null ? "?" : s.org(), s == null ? "?" : s.targetId(), reason, by));
                    }
                } else if (action.equals("request.decision-recorded")) {
                    // one event per approver (N distinct approvals may be required), with the comment they gave
                    AccessRequest r = request(requests, e.objectId());
                    String verdict = e.details().getOrDefault("verdict", "?");
                    decisions.add(new ComplianceReport.Decision(e.seq(), e.time(), e.objectId(), r == null ? "?" : r.requester(),
                            r == null ? "?" : r.requesterOrg(), r == null ? "?" : String.join(", ", r.targets()), e.actor(),
                            verdict.equals("APPROVE") ? "approved" : verdict.equals("DENY") ? "denied" : verdict.toLowerCase(java.util.Locale.ROOT),
                            e.details().getOrDefault("comment", "")));
                } else if (action.startsWith("session.guard-") || action.equals("session.channel-refused")) {
                    GatewaySession s = session(sessions, e.objectId());
                    String rule = e.details().getOrDefault("rule", action.equals("session.channel-refused") ? "gateway.channel-default-deny" : "?");
                    violations.add(new ComplianceReport.Violation(e.seq(), e.time(), e.actor(), s == null ? "?" : s.org(), e.objectId(),
                            s == null ? "?" : s.targetId(), rule, action.substring("session.".length()),
                            e.details().getOrDefault("reason", e.details().getOrDefault("request", ""))));
                } else if (action.equals("session.refused")) {
                    violations.add(new ComplianceReport.Violation(e.seq(), e.time(), e.actor(), "?", null, e.objectId(),
                            "gateway.no-usable-grant", "refused", e.details().getOrDefault("reason", "")));
                }
            }
            if (page.size() < PAGE) break;
            after = page.getLast().seq();
        }
        List<ComplianceReport.SessionRow> rows = new ArrayList<>();
        for (var en : startSeq.entrySet()) {
            GatewaySession s = session(sessions, en.getKey());
            if (s == null) continue;
            Optional<Grant> g = s.grantId() == null ? Optional.empty() : store.inTransaction(tx -> tx.findGrant(s.grantId()));
            Instant end = s.endedAt() != null ? s.endedAt() : clock.instant();
            rows.add(new ComplianceReport.SessionRow(en.getValue(), s.id(), s.username(), s.org(), s.targetId(), s.site(), s.startedAt(),
                    s.endedAt(), s.endReason() == null ? "live" : s.endReason().wireName(), Duration.between(s.startedAt(), end),
                    g.map(x -> Duration.between(x.notBefore(), x.notAfter())).orElse(Duration.ZERO)));
        }
        return new ComplianceReport(from, to, clock.instant(), brokerKeyId, first, last, count, rows, decisions, violations, terminations);
    }

    private GatewaySession session(Map<String, Optional<GatewaySession>> cache, String id) {
        if (id == null) return null;
        return cache.computeIfAbsent(id, k -> store.inTransaction(tx -> tx.findSession(k))).orElse(null);
    }

    private AccessRequest request(Map<String, Optional<AccessRequest>> cache, String id) {
        if (id == null) return null;
        return cache.computeIfAbsent(id, k -> store.inTransaction(tx -> tx.findRequest(k, false))).orElse(null);
    }
}
