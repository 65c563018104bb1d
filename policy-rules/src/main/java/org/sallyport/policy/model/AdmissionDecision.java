package org.sallyport.policy.model;

import java.util.Objects;

/**
 * The policy's answer to an access request: {@link Admitted} (with the approvals it needs and the limits
 * that apply) or {@link Refused}. Both name the rule that decided and a reason a person can read.
 */
public sealed interface AdmissionDecision {
    String ruleId();

    String reason();

    /**
     * @param approvals how many distinct approvers, of which role, are needed
     * @param limits    limits the broker enforces beyond the request itself (concurrency)
     */
    record Admitted(String ruleId, String reason, ApprovalRequirement approvals, Limits limits) implements AdmissionDecision {
        public Admitted {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(approvals, "approvals");
            Objects.requireNonNull(limits, "limits");
        }
    }

    record Refused(String ruleId, String reason) implements AdmissionDecision {
        public Refused {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
