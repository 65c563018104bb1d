package org.sallyport.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A vendor technician's request for a time-boxed maintenance window on one or more targets.
 *
 * @param sites             sites of the targets, frozen at request time (supervisors see their sites' requests)
 * @param approvalsRequired distinct approvers needed, frozen at request time from policy
 * @param decisionRule      id of the rule that admitted the request, frozen
 */
public record AccessRequest(String id, String requester, String requesterOrg, List<String> targets,
                            Set<String> sites, Instant start, Duration duration, String reason, String ticket,
                            RequestState state, int approvalsRequired, String decisionRule,
                            List<Approval> approvals, Instant createdAt, Instant updatedAt) {
    public AccessRequest {
        Objects.requireNonNull(id, "id");
        targets = List.copyOf(targets);
        sites = Set.copyOf(sites);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
    }

    public Instant end() {
        return start.plus(duration);
    }

    public AccessRequest withState(RequestState newState, Instant at) {
        return new AccessRequest(id, requester, requesterOrg, targets, sites, start, duration, reason, ticket,
                newState, approvalsRequired, decisionRule, approvals, createdAt, at);
    }

    public AccessRequest withApprovals(List<Approval> newApprovals) {
        return new AccessRequest(id, requester, requesterOrg, targets, sites, start, duration, reason, ticket,
                state, approvalsRequired, decisionRule, newApprovals, createdAt, updatedAt);
    }
}
