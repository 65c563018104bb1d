package org.sallyport.broker.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sallyport.broker.domain.AccessRequest;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.RequestState;
import org.sallyport.broker.domain.Target;
import org.sallyport.broker.policy.PolicyContexts;
import org.sallyport.broker.store.RequestFilter;
import org.sallyport.broker.store.Store;
import org.sallyport.policy.eval.Policy;
import org.sallyport.policy.model.AdmissionDecision;
import org.sallyport.policy.model.Limits;

/**
 * The policy's verdict on a whole request: every target must be admitted; the approvals needed are the
 * largest any target's rules ask for; the limits are the strictest of all targets'.
 *
 * @param refused       non-null when the policy refuses (rule id and reason)
 * @param admissionRule the admission rule id(s) that allowed the request, frozen into it
 */
record PolicyAdmission(AdmissionDecision.Refused refused, String admissionRule, String approvalRule, int approvals, Limits limits,
                       String fingerprint) {
    /** Approver role the workflow enforces; a policy that asks for another is refused (fail closed). */
    static final String SUPPORTED_ROLE = "supervisor";
    /** Upper bound on open requests read when counting concurrent windows. */
    private static final int SCAN_LIMIT = 10_000;

    static PolicyAdmission decide(Policy policy, Principal who, List<Target> targets, Instant start, NewRequest in) {
        Set<String> admittedBy = new LinkedHashSet<>();
        String approvalRule = null;
        int approvals = 0;
        Limits limits = Limits.NONE;
        for (Target t : targets) {
            var d = policy.decideRequest(PolicyContexts.forRequest(who, t, start, in.duration(), in.reason(), in.ticket()));
            if (d instanceof AdmissionDecision.Refused no) {
                return new PolicyAdmission(new AdmissionDecision.Refused(no.ruleId(), no.reason() + " (target " + t.id() + ")"),
                        null, null, 0, Limits.NONE, policy.fingerprint());
            }
            var yes = (AdmissionDecision.Admitted) d;
            if (!SUPPORTED_ROLE.equals(yes.approvals().role())) {
                return new PolicyAdmission(new AdmissionDecision.Refused(yes.approvals().ruleId(),
                        "approvals by role '" + yes.approvals().role() + "' are not supported by this broker (only supervisor)"),
                        null, null, 0, Limits.NONE, policy.fingerprint());
            }
            admittedBy.add(yes.ruleId());
            if (yes.approvals().count() > approvals) {
                approvals = yes.approvals().count();
                approvalRule = yes.approvals().ruleId();
            }
            limits = limits.tighten(yes.limits());
        }
        return new PolicyAdmission(null, String.join(",", admittedBy), approvalRule, approvals, limits, policy.fingerprint());
    }

    /**
     * Checks the concurrency caps against the open (PENDING or APPROVED) requests whose windows overlap this
     * one: per vendor organisation and per target.
     *
     * <p>Restriction: counted outside the insert's transaction, so two requests racing for the last slot can
     * both pass; the caps are a planning limit, not a lock.
     *
     * @return the refusal, or null within the caps
     */
    AdmissionDecision.Refused concurrencyViolation(Store store, Principal who, Set<String> sites, Instant start, Duration duration,
                                                  List<String> targetIds) {
        if (limits.maxConcurrentPerVendor() == 0 && limits.maxConcurrentPerTarget() == 0) return null;
        Instant end = start.plus(duration);
        List<AccessRequest> open = store.inTransaction(tx -> {
            List<AccessRequest> out = new ArrayList<>();
            for (RequestState s : List.of(RequestState.PENDING, RequestState.APPROVED)) {
                out.addAll(tx.listRequests(new RequestFilter(null, sites, null, s, SCAN_LIMIT)));
                if (who.org() != null) out.addAll(tx.listRequests(new RequestFilter(who.org(), null, null, s, SCAN_LIMIT)));
            }
            return out;
        });
        List<AccessRequest> overlapping = open.stream().filter(r -> r.start().isBefore(end) && start.isBefore(r.end()))
                .collect(java.util.stream.Collectors.toMap(AccessRequest::id, r -> r, (a, b) -> a)).values().stream().toList();
        int cap = limits.maxConcurrentPerVendor();
        if (cap > 0 && who.org() != null) {
            long n = overlapping.stream().filter(r -> who.org().equals(r.requesterOrg())).count();
            if (n >= cap) {
                return new AdmissionDecision.Refused(limits.perVendorRule(), "organisation '" + who.org() + "' already has " + n
                        + " open window(s) overlapping this one (at most " + cap + ")");
            }
        }
        cap = limits.maxConcurrentPerTarget();
        if (cap > 0) {
            for (String t : targetIds) {
                long n = overlapping.stream().filter(r -> r.targets().contains(t)).count();
                if (n >= cap) {
                    return new AdmissionDecision.Refused(limits.perTargetRule(), "target " + t + " already has " + n
                            + " open window(s) overlapping this one (at most " + cap + ")");
                }
            }
        }
        return null;
    }
}
