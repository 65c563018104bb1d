package org.sallyport.broker.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.domain.GatewaySession;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.domain.SessionEndReason;
import org.sallyport.broker.domain.Target;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.NotFoundException;
import org.sallyport.broker.store.GrantFilter;
import org.sallyport.broker.store.SessionFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.workflow.TargetCatalog;
import org.sallyport.recorder.audit.AuditEventDraft;

/**
 * Admission and bookkeeping of gateway sessions: which grant admits a connection, and the session rows
 * and audit events at start and end. Blocking; called from virtual threads.
 */
public final class GatewaySessions {
    private final Store store;
    private final AuditLog audit;
    private final TargetCatalog targets;
    private final Clock clock;

    public GatewaySessions(Store store, AuditLog audit, TargetCatalog targets, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.targets = targets;
        this.clock = clock;
    }

    /** A connection that may proceed: the grant that admits it and the target. */
    public record Admission(Grant grant, Target target) {}

    /** Which of a target's services a connection asks for: its SSH shell or its web UI (the HTTP proxy). */
    public enum Service { SSH, HTTP }

    /**
     * The usable grant for {@code username} on {@code targetId}'s SSH service now, or a refusal (audited) whose
     * message the vendor sees on their terminal.
     */
    public Admission admit(String username, String targetId, String remote) {
        return admit(username, targetId, remote, Service.SSH);
    }

    /** The one admission rule for every protocol: an APPROVED, unrevoked grant of that user for that target, now. */
    public Admission admit(String username, String targetId, String remote, Service service) {
        Target t = targets.find(targetId).orElse(null);
        if (t == null) throw refuse(username, targetId, remote, service, "unknown target '" + targetId + "'");
        if (service == Service.SSH && t.sshPort() <= 0) {
            throw refuse(username, targetId, remote, service, "target " + targetId + " has no SSH service");
        }
        if (service == Service.HTTP && t.httpPort() <= 0) {
            throw refuse(username, targetId, remote, service, "target " + targetId + " has no web UI (no httpPort)");
        }
        Instant now = clock.instant();
        List<Grant> grants = store.inTransaction(tx -> tx.listGrants(new GrantFilter(username, null, null, targetId, 100)));
        Grant usable = grants.stream().filter(g -> g.usableAt(now)).findFirst().orElse(null);
        if (usable == null) {
            String why = grants.stream().anyMatch(g -> g.revokedAt() == null && now.isBefore(g.notBefore()))
                    ? "your approved window on " + targetId + " has not started yet"
                    : "no approved session for " + username + " on " + targetId + " now; request one with: sallyport request --target "
                    + targetId + " --duration 45m --reason ... --ticket ...";
            throw refuse(username, targetId, remote, service, why);
        }
        return new Admission(usable, t);
    }

    private ForbiddenException refuse(String username, String targetId, String remote, Service service, String reason) {
        Map<String, String> details = service == Service.SSH ? Map.of("reason", reason, "remote", remote)
                : Map.of("reason", reason, "remote", remote, "kind", "http");
        audit.record(new AuditEventDraft(username, "session.refused", "target", targetId, details));
        return new ForbiddenException(reason);
    }

    /** Records a session that has been set up (upstream connected, recording open). */
    public GatewaySession started(Admission a, String kind, String command, String recordingId, String remote) {
        GatewaySession s = new GatewaySession(UUID.randomUUID().toString(), a.grant().id(), a.grant().requestId(), a.grant().username(),
                a.grant().org(), a.target().id(), a.target().site(), kind, command, clock.instant(), null, null, 0, 0, recordingId, null);
        store.inTransaction(tx -> {
            tx.insertSession(s);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("grant", s.grantId());
            d.put("request", s.requestId());
            d.put("target", s.targetId());
            d.put("org", String.valueOf(s.org()));
            d.put("site", String.valueOf(s.site()));
            d.put("kind", kind);
            if (command != null) d.put("command", command);
            d.put("recording", recordingId);
            d.put("notAfter", a.grant().notAfter().toString());
            d.put("remote", remote);
            audit.append(tx, new AuditEventDraft(s.username(), "session.started", "session", s.id(), d));
            return null;
        });
        audit.afterCommit();
        return s;
    }

    /** Records the end, after both sides are confirmed closed (NIST SP 800-53 MA-4(7)). */
    public void ended(GatewaySession s, SessionEndReason reason, long bytesIn, long bytesOut, String recordingHead, String detail) {
        Instant now = clock.instant();
        store.inTransaction(tx -> {
            tx.endSession(s.id(), now, reason, bytesIn, bytesOut, recordingHead);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("reason", reason.wireName());
            d.put("bytesIn", Long.toString(bytesIn));
            d.put("bytesOut", Long.toString(bytesOut));
            d.put("recording", String.valueOf(s.recordingId()));
            d.put("recordingHead", String.valueOf(recordingHead));
            if (detail != null) d.put("detail", detail);
            audit.append(tx, new AuditEventDraft("system", "session.ended", "session", s.id(), d));
            return null;
        });
        audit.afterCommit();
    }

    /** Audits a guard verdict other than PASS. */
    public void verdict(GatewaySession s, String direction, SessionGuard.Verdict v, long offset) {
        audit.record(new AuditEventDraft(s.username(), "session.guard-" + v.action().name().toLowerCase(), "session", s.id(),
                Map.of("rule", v.ruleId(), "reason", v.reason(), "direction", direction, "offset", Long.toString(offset),
                        "matchOffset", Long.toString(v.matchOffset()), "match", v.match())));
    }

    /** Sessions still marked live after a restart ended with it. */
    public int endOrphans() {
        List<GatewaySession> live = store.inTransaction(tx -> tx.listSessions(new SessionFilter(null, null, true, 10_000)));
        for (GatewaySession s : live) ended(s, SessionEndReason.BROKER_RESTART, s.bytesIn(), s.bytesOut(), null, "found live at start-up");
        return live.size();
    }

    public List<GatewaySession> list(Principal who, boolean liveOnly, int limit) {
        SessionFilter f;
        if (who.has(Role.ADMIN) || who.has(Role.INSPECTOR)) f = new SessionFilter(null, null, liveOnly, limit);
        else if (who.has(Role.SUPERVISOR)) f = new SessionFilter(null, who.sites(), liveOnly, limit);
        else if (who.has(Role.VENDOR_TECHNICIAN)) f = new SessionFilter(who.username(), null, liveOnly, limit);
        else f = new SessionFilter(null, Set.of(), liveOnly, limit);
        return store.inTransaction(tx -> tx.listSessions(f));
    }

    /** The session, if {@code who} may terminate it (supervisor of its site, or admin). */
    public GatewaySession forTermination(Principal who, String id) {
        GatewaySession s = store.inTransaction(tx -> tx.findSession(id)).orElseThrow(() -> new NotFoundException("session " + id + " not found"));
        boolean may = who.has(Role.ADMIN) || (who.has(Role.SUPERVISOR) && who.sites().contains(s.site()));
        if (!may) {
            audit.record(new AuditEventDraft(who.username(), "session.terminate-refused", "session", id,
                    Map.of("reason", "not a supervisor of site " + s.site())));
            if (!who.has(Role.SUPERVISOR) && !who.has(Role.INSPECTOR)) throw new NotFoundException("session " + id + " not found");
            throw new ForbiddenException("only a supervisor of site " + s.site() + " or an admin terminates this session");
        }
        return s;
    }

    /**
     * The live session {@code who} may watch (supervisor of its site, inspector, admin); the viewing is
     * itself an audit event, since recordings show travellers' faces and device data.
     */
    public GatewaySession forLiveView(Principal who, String id) {
        GatewaySession s = store.inTransaction(tx -> tx.findSession(id)).orElseThrow(() -> new NotFoundException("session " + id + " not found"));
        boolean may = who.has(Role.ADMIN) || who.has(Role.INSPECTOR) || (who.has(Role.SUPERVISOR) && who.sites().contains(s.site()));
        if (!may) {
            audit.record(new AuditEventDraft(who.username(), "session.live-view-refused", "session", id, Map.of("target", s.targetId())));
            throw new NotFoundException("session " + id + " not found");
        }
        if (!s.live()) throw new org.sallyport.broker.error.ConflictException("session " + id + " has ended; play its recording instead");
        audit.record(new AuditEventDraft(who.username(), "session.live-view-started", "session", id, Map.of("target", s.targetId())));
        return s;
    }

    public void terminationRequested(Principal who, GatewaySession s) {
        audit.record(new AuditEventDraft(who.username(), "session.terminate-requested", "session", s.id(), Map.of("target", s.targetId())));
    }
}
