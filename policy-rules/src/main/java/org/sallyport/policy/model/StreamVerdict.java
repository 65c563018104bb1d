package org.sallyport.policy.model;

import java.util.Objects;

/** A verdict on live input or output, with its rule id and reason. */
public record StreamVerdict(StreamAction action, String ruleId, String reason) {
    public StreamVerdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(reason, "reason");
    }

    public static StreamVerdict pass(String ruleId, String reason) {
        return new StreamVerdict(StreamAction.PASS, ruleId, reason);
    }
}
