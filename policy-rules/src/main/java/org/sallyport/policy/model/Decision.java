package org.sallyport.policy.model;

import java.util.Objects;

/**
 * A yes or no with the rule that gave it and a reason a person can read. Default deny: when no rule
 * matches, {@code ruleId} is the section's default-deny id (e.g. {@code admission.default-deny}).
 */
public record Decision(boolean allowed, String ruleId, String reason) {
    public Decision {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(reason, "reason");
    }

    public static Decision allow(String ruleId, String reason) {
        return new Decision(true, ruleId, reason);
    }

    public static Decision deny(String ruleId, String reason) {
        return new Decision(false, ruleId, reason);
    }
}
