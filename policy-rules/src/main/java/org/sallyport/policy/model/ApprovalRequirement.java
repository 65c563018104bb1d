package org.sallyport.policy.model;

import java.util.Set;

/**
 * Approvals a request needs: {@code count} distinct people (never the requester) holding {@code role}; when
 * {@code sites} is non-empty each approver must supervise all of them.
 */
public record ApprovalRequirement(int count, String role, Set<String> sites, String ruleId, String reason) {
    public ApprovalRequirement {
        if (count < 1) throw new IllegalArgumentException("count must be >= 1: " + count);
        sites = sites == null ? Set.of() : Set.copyOf(sites);
    }
}
