package org.sallyport.broker.workflow;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.sallyport.broker.audit.AuditLog;
import org.sallyport.broker.config.BrokerConfig;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Approval;
import org.sallyport.broker.domain.Grant;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.domain.Role;
import org.sallyport.broker.domain.Target;
import org.sallyport.broker.error.ConflictException;
import org.sallyport.broker.error.ForbiddenException;
import org.sallyport.broker.error.InvalidInputException;
import org.sallyport.broker.error.NotFoundException;
import org.sallyport.broker.policy.BrokerPolicy;
import org.sallyport.broker.store.GrantFilter;
import org.sallyport.broker.store.RequestFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.broker.store.StoreTx;
import org.sallyport.policy.eval.Policy;
import org.sallyport.recorder.audit.AuditEventDraft;

/**
 * The access-request workflow.
 *
 * <p>Security guarantees: default deny (a vendor may only ask for targets its org is contracted for);
 * separation of duties (nobody approves their own request, vendors never approve, an approver must
 * supervise every site the request touches, N approvals means N distinct people); a request is decided
 * under a row lock so concurrent decisions serialise; every state change commits together with its
 * audit event, and every refusal is audited before it is answered.
 *
 * <p>Threading: blocking; call from a virtual thread or worker.
 */
public final class WorkflowService {
    /** The built-in check that runs before the policy: a vendor's org must be contracted for every target. */
    public static final String RULE_CONTRACTED_VENDOR = "builtin.contracted-vendor";

    private final Store store;
    private final AuditLog audit;
    private final TargetCatalog targets;
    private final BrokerConfig.Workflow limits;
    private final Clock clock;
    private final java.util.function.Supplier<Policy> policy;
    private final MeterRegistry metrics;
    private final Timer approvalLatency;
    private volatile java.util.function.Consumer<Instant> windowListener = end -> {};
    private volatile java.util.function.BiConsumer<String, RequestState> endedEarlyListener = (id, state) -> {};

    public WorkflowService(Store store, AuditLog audit, TargetCatalog targets, BrokerConfig.Workflow limits, Clock clock,
                           MeterRegistry metrics) {
        this(store, audit, targets, limits, clock, metrics, BrokerPolicy.bundledDefault()::current);
    }

    /** @param policy the policy in force, asked afresh for every request (so a reload applies to the next one) */
    public WorkflowService(Store store, AuditLog audit, TargetCatalog targets, BrokerConfig.Workflow limits, Clock clock,
                           MeterRegistry metrics, java.util.function.Supplier<Policy> policy) {
        this.policy = policy;
        this.store = store;
        this.audit = audit;
        this.targets = targets;
        this.limits = limits;
        this.clock = clock;
        this.metrics = metrics;
        this.approvalLatency = Timer.builder("sallyport.approval.latency")
                .description("Time from request to final approval")
                .publishPercentileHistogram()
                .register(metrics);
    }

    /** Called with each new request's window end after it commits, so the broker can set an expiry timer. */
    public void onNewWindow(java.util.function.Consumer<Instant> listener) {
        this.windowListener = listener;
    }

    /** Called with a request id and its new state after its grants were revoked or cancelled (live sessions end). */
    public void onEndedEarly(java.util.function.BiConsumer<String, RequestState> listener) {
        this.endedEarlyListener = listener;
    }

    public TargetCatalog targets() {
        return targets;
    }

    // ------------------------------------------------------------------ create

    public AccessRequest create(Principal who, NewRequest in) {
        if (!who.has(Role.VENDOR_TECHNICIAN)) {
            throw refuse(who, "request.create-refused", "request", null, "only vendor technicians request sessions");
        }
        Instant now = clock.instant();
        Instant start = in.start() == null ? now : in.start();
        if (start.isBefore(now.minus(limits.startGrace()))) {
            throw new InvalidInputException("start", "is in the past; omit it to start now");
        }
        if (start.isAfter(now.plus(limits.maxStartAhead()))) {
            throw new InvalidInputException("start", "is more than " + human(limits.maxStartAhead()) + " ahead");
        }
        if (in.duration().compareTo(limits.maxDuration()) > 0) {
            throw new InvalidInputException("duration", human(in.duration()) + " is over the limit of " + human(limits.maxDuration()));
        }
        List<Target> ts = new ArrayList<>();
        Set<String> sites = new LinkedHashSet<>();
        int approvals = limits.defaultApprovals();
        for (String id : in.targets()) {
            Target t = targets.find(id).orElseThrow(() -> new InvalidInputException("targets", "unknown target '" + id + "'"));
            if (who.org() == null || !t.orgs().contains(who.org())) {
                throw refuse(who, "request.create-refused", "target", id,
                        "org '" + who.org() + "' is not contracted for target " + id);
            }
            ts.add(t);
            sites.add(t.site());
            approvals = Math.max(approvals, t.approvalsRequired());
        }
        PolicyAdmission admission = PolicyAdmission.decide(policy.get(), who, ts, start, in);
        if (admission.refused() != null) {
            var no = admission.refused();
            throw refuse(who, "request.create-refused", "request", null, Map.of(
                    "rule", no.ruleId(), "reason", no.reason(), "policy", admission.fingerprint(), "targets", String.join(",", in.targets())),
                    "refused by policy rule '" + no.ruleId() + "': " + no.reason());
        }
        var overCap = admission.concurrencyViolation(store, who, sites, start, in.duration(), in.targets());
        if (overCap != null) {
            throw refuse(who, "request.create-refused", "request", null, Map.of(
                    "rule", overCap.ruleId(), "reason", overCap.reason(), "policy", admission.fingerprint(), "targets", String.join(",", in.targets())),
                    "refused by policy rule '" + overCap.ruleId() + "': " + overCap.reason());
        }
        int approvalsRequired = Math.max(approvals, admission.approvals());
        AccessRequest r = new AccessRequest(UUID.randomUUID().toString(), who.username(), who.org(), in.targets(), sites,
                start, in.duration(), in.reason(), in.ticket(), RequestState.PENDING, approvalsRequired,
                admission.admissionRule(), List.of(), now, now);
        Map<String, String> created = new java.util.LinkedHashMap<>();
        created.put("targets", String.join(",", r.targets()));
        created.put("sites", String.join(",", r.sites()));
        created.put("start", r.start().toString());
        created.put("duration", r.duration().toString());
        created.put("ticket", r.ticket());
        created.put("reason", r.reason());
        created.put("approvalsRequired", Integer.toString(approvalsRequired));
        created.put("rule", admission.admissionRule());
        created.put("approvalRule", admission.approvalRule());
        created.put("policy", admission.fingerprint());
        store.inTransaction(tx -> {
            tx.insertRequest(r);
            audit.append(tx, event(who.username(), "request.created", r.id(), created));
            return null;
        });
        audit.afterCommit();
        count(RequestState.PENDING);
        windowListener.accept(r.end());
        return r;
    }

    // ------------------------------------------------------------------ read

    public List<AccessRequest> list(Principal who, RequestState state, int limit) {
        RequestFilter f = visibility(who, state, limit);
        return store.inTransaction(tx -> tx.listRequests(f));
    }

    public AccessRequest get(Principal who, String id) {
        AccessRequest r = store.inTransaction(tx -> tx.findRequest(id, false)).orElseThrow(() -> notFound(id));
        if (!canSee(who, r)) {
            audit.record(event(who.username(), "request.access-refused", id, Map.of("reason", "not visible to the caller")));
            throw notFound(id);
        }
        return r;
    }

    public List<Grant> grantsOf(String requestId) {
        return store.inTransaction(tx -> tx.grantsForRequest(requestId));
    }

    public List<Grant> listGrants(Principal who, int limit) {
        GrantFilter f;
        if (who.has(Role.ADMIN) || who.has(Role.INSPECTOR)) f = new GrantFilter(null, null, null, null, limit);
        else if (who.has(Role.SUPERVISOR)) f = new GrantFilter(null, null, who.sites(), null, limit);
        else if (who.has(Role.VENDOR_TECHNICIAN)) f = new GrantFilter(who.username(), null, null, null, limit);
        else f = new GrantFilter(null, null, Set.of(), null, limit);
        return store.inTransaction(tx -> tx.listGrants(f));
    }

    // ------------------------------------------------------------------ decide

    public AccessRequest approve(Principal who, String id, String comment) {
        return decide(who, id, comment, Approval.Verdict.APPROVE);
    }

    public AccessRequest deny(Principal who, String id, String comment) {
        return decide(who, id, comment, Approval.Verdict.DENY);
    }

    private AccessRequest decide(Principal who, String id, String comment, Approval.Verdict verdict) {
        String verb = verdict == Approval.Verdict.APPROVE ? "approve" : "deny";
        Instant now = clock.instant();
        Refusal[] refusal = new Refusal[1];
        AccessRequest result = store.inTransaction(tx -> {
            AccessRequest r = tx.findRequest(id, true).orElseThrow(() -> notFound(id));
            if (!canSee(who, r)) {
                refusal[0] = new Refusal(new NotFoundException("request " + id + " not found"), "not visible to the caller");
                return null;
            }
            String why = whyMayNotDecide(who, r);
            if (why != null) {
                refusal[0] = new Refusal(new ForbiddenException("you may not " + verb + " this request: " + why), why);
                return null;
            }
            if (r.state() == RequestState.PENDING && !now.isBefore(r.end())) {
                expire(tx, r, now);
                refusal[0] = new Refusal(new ConflictException("request " + id + " expired: its window ended at " + r.end()), "window ended");
                return null;
            }
            if (r.state() != RequestState.PENDING) {
                refusal[0] = new Refusal(new ConflictException("request " + id + " is " + r.state() + ", only PENDING requests can be decided"),
                        "state " + r.state());
                return null;
            }
            if (r.approvals().stream().anyMatch(a -> a.approver().equals(who.username()))) {
                refusal[0] = new Refusal(new ConflictException("you have already decided request " + id), "already decided by this approver");
                return null;
            }
            Approval a = new Approval(who.username(), verdict, comment, now);
            tx.insertApproval(id, a);
            List<Approval> all = new ArrayList<>(r.approvals());
            all.add(a);
            AccessRequest updated = r.withApprovals(all);
            audit.append(tx, event(who.username(), "request.decision-recorded", id,
                    Map.of("verdict", verdict.name(), "comment", comment)));
            if (verdict == Approval.Verdict.DENY) {
                tx.updateRequestState(id, RequestState.DENIED, now);
                audit.append(tx, event(who.username(), "request.denied", id, Map.of("comment", comment)));
                return updated.withState(RequestState.DENIED, now);
            }
            long distinct = all.stream().filter(x -> x.verdict() == Approval.Verdict.APPROVE).map(Approval::approver).distinct().count();
            if (distinct < r.approvalsRequired()) {
                return updated;
            }
            tx.updateRequestState(id, RequestState.APPROVED, now);
            audit.append(tx, event(who.username(), "request.approved", id, Map.of(
                    "approvers", String.join(",", all.stream().map(Approval::approver).toList()),
                    "approvalsRequired", Integer.toString(r.approvalsRequired()))));
            for (String targetId : r.targets()) {
                Target t = targets.find(targetId).orElseThrow(() -> new ConflictException("target " + targetId + " no longer configured"));
                Grant g = new Grant(UUID.randomUUID().toString(), id, r.requester(), r.requesterOrg(), targetId, t.site(),
                        r.start(), r.end(), null, null);
                tx.insertGrant(g);
                audit.append(tx, new AuditEventDraft(who.username(), "grant.issued", "grant", g.id(), Map.of(
                        "request", id, "user", g.username(), "target", targetId,
                        "notBefore", g.notBefore().toString(), "notAfter", g.notAfter().toString())));
            }
            return updated.withState(RequestState.APPROVED, now);
        });
        if (refusal[0] != null) {
            audit.record(event(who.username(), "request." + verb + "-refused", id, Map.of("reason", refusal[0].auditReason())));
            throw refusal[0].error();
        }
        audit.afterCommit();
        if (result.state() != RequestState.PENDING) {
            count(result.state());
            if (result.state() == RequestState.APPROVED) approvalLatency.record(Duration.between(result.createdAt(), now));
        }
        return result;
    }

    private record Refusal(RuntimeException error, String auditReason) {}

    /** Separation of duties; null when allowed. */
    static String whyMayNotDecide(Principal who, AccessRequest r) {
        if (who.username().equals(r.requester())) return "nobody decides their own request";
        if (who.has(Role.VENDOR_TECHNICIAN)) return "vendor technicians never decide requests";
        if (!who.has(Role.SUPERVISOR)) return "only supervisors decide requests";
        if (!who.sites().containsAll(r.sites())) return "you do not supervise every site of this request " + r.sites();
        return null;
    }

    // ------------------------------------------------------------------ end early

    public AccessRequest cancel(Principal who, String id) {
        return endEarly(who, id, RequestState.CANCELLED, null);
    }

    public AccessRequest revoke(Principal who, String id, String comment) {
        return endEarly(who, id, RequestState.REVOKED, comment);
    }

    private AccessRequest endEarly(Principal who, String id, RequestState to, String comment) {
        Instant now = clock.instant();
        String verb = to == RequestState.CANCELLED ? "cancel" : "revoke";
        Refusal[] refusal = new Refusal[1];
        AccessRequest result = store.inTransaction(tx -> {
            AccessRequest r = tx.findRequest(id, true).orElseThrow(() -> notFound(id));
            if (!canSee(who, r)) {
                refusal[0] = new Refusal(notFound(id), "not visible to the caller");
                return null;
            }
            String why = to == RequestState.CANCELLED
                    ? (who.username().equals(r.requester()) ? null : "only the requester cancels a request")
                    : whyMayNotRevoke(who, r);
            if (why != null) {
                refusal[0] = new Refusal(new ForbiddenException("you may not " + verb + " this request: " + why), why);
                return null;
            }
            if (!r.state().next().contains(to)) {
                refusal[0] = new Refusal(new ConflictException("request " + id + " is " + r.state() + " and cannot be " + to.name().toLowerCase()
                        + (to == RequestState.REVOKED ? " (only APPROVED requests are revoked; deny a PENDING one)" : "")),
                        "state " + r.state());
                return null;
            }
            tx.updateRequestState(id, to, now);
            Map<String, String> details = comment == null ? Map.of("from", r.state().name()) : Map.of("from", r.state().name(), "comment", comment);
            audit.append(tx, event(who.username(), "request." + to.name().toLowerCase(), id, details));
            for (Grant g : tx.grantsForRequest(id)) {
                if (g.revokedAt() == null) {
                    tx.revokeGrant(g.id(), now, who.username());
                    audit.append(tx, new AuditEventDraft(who.username(), "grant.revoked", "grant", g.id(),
                            Map.of("request", id, "reason", to.name().toLowerCase())));
                }
            }
            return r.withState(to, now);
        });
        if (refusal[0] != null) {
            audit.record(event(who.username(), "request." + verb + "-refused", id, Map.of("reason", refusal[0].auditReason())));
            throw refusal[0].error();
        }
        audit.afterCommit();
        count(to);
        endedEarlyListener.accept(id, to);
        return result;
    }

    static String whyMayNotRevoke(Principal who, AccessRequest r) {
        if (who.has(Role.ADMIN)) return null;
        if (who.has(Role.SUPERVISOR) && who.sites().containsAll(r.sites())) return null;
        return "only a supervisor of the request's sites or an admin revokes";
    }

    // ------------------------------------------------------------------ expiry

    /**
     * Ends every PENDING or APPROVED request whose window has closed. Run at start-up and by timers; grants
     * are unusable after notAfter regardless, so this only makes the state visible.
     *
     * @return the requests expired now
     */
    public List<AccessRequest> expireDue() {
        Instant now = clock.instant();
        List<AccessRequest> expired = store.inTransaction(tx -> {
            List<AccessRequest> out = new ArrayList<>();
            for (AccessRequest r : tx.requestsEndedBy(now, List.of(RequestState.PENDING, RequestState.APPROVED))) {
                AccessRequest locked = tx.findRequest(r.id(), true).orElseThrow();
                if (locked.state() == RequestState.PENDING || locked.state() == RequestState.APPROVED) {
                    expire(tx, locked, now);
                    out.add(locked.withState(RequestState.EXPIRED, now));
                }
            }
            return out;
        });
        if (!expired.isEmpty()) {
            audit.afterCommit();
            expired.forEach(r -> count(RequestState.EXPIRED));
        }
        return expired;
    }

    /** When each open (PENDING or APPROVED) request's window ends, for the expiry timers set at start-up. */
    public List<Instant> openWindowEnds() {
        Instant horizon = clock.instant().plus(limits.maxStartAhead()).plus(limits.maxDuration()).plus(Duration.ofDays(1));
        return store.inTransaction(tx -> tx.requestsEndedBy(horizon, List.of(RequestState.PENDING, RequestState.APPROVED)))
                .stream().map(AccessRequest::end).toList();
    }

    private void expire(StoreTx tx, AccessRequest r, Instant now) {
        tx.updateRequestState(r.id(), RequestState.EXPIRED, now);
        audit.append(tx, event("system", "request.expired", r.id(), Map.of("from", r.state().name(), "end", r.end().toString())));
    }

    // ------------------------------------------------------------------ helpers

    /** Vendors see their org's requests, supervisors their sites', inspectors and admins all. */
    static boolean canSee(Principal who, AccessRequest r) {
        if (who.has(Role.ADMIN) || who.has(Role.INSPECTOR)) return true;
        if (who.has(Role.SUPERVISOR) && r.sites().stream().anyMatch(who.sites()::contains)) return true;
        return who.has(Role.VENDOR_TECHNICIAN) && who.org() != null && who.org().equals(r.requesterOrg());
    }

    static RequestFilter visibility(Principal who, RequestState state, int limit) {
        if (who.has(Role.ADMIN) || who.has(Role.INSPECTOR)) return new RequestFilter(null, null, null, state, limit);
        if (who.has(Role.SUPERVISOR)) return new RequestFilter(null, who.sites(), null, state, limit);
        if (who.has(Role.VENDOR_TECHNICIAN) && who.org() != null) return new RequestFilter(who.org(), null, null, state, limit);
        return new RequestFilter(null, Set.of(), null, state, limit);
    }

    private ForbiddenException refuse(Principal who, String action, String objectType, String objectId, String reason) {
        audit.record(new AuditEventDraft(who.username(), action, objectType, objectId, Map.of("reason", reason)));
        return new ForbiddenException(reason);
    }

    /** A policy refusal: audited with its rule id and reason before it is answered (HTTP 403). */
    private ForbiddenException refuse(Principal who, String action, String objectType, String objectId, Map<String, String> details,
                                      String message) {
        audit.record(new AuditEventDraft(who.username(), action, objectType, objectId, details));
        return new ForbiddenException(message);
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("request " + id + " not found");
    }

    private static AuditEventDraft event(String actor, String action, String requestId, Map<String, String> details) {
        return new AuditEventDraft(actor, action, "request", requestId, details);
    }

    private void count(RequestState state) {
        metrics.counter("sallyport.requests", "state", state.name()).increment();
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase();
    }
}
