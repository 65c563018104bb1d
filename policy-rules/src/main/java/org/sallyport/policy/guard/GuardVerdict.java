package org.sallyport.policy.guard;

import java.util.Objects;

/**
 * A guard decision.
 *
 * @param action PASS, BLOCK or TERMINATE
 * @param ruleId the id of the rule that decided (for PASS, the rule that allowed or {@link
 *     GuardRules#RULE_BYTES_CLEAN})
 * @param reason human reason, for the vendor's notice and the audit event
 * @param offset stream offset (bytes of that direction since the session start) of the byte that
 *     completed the match; -1 for channel decisions
 * @param match what exactly matched: the detector sub-rule ({@code base64.image.jpeg}), the
 *     submitted command line (truncated to 200 characters) or the channel detail; may be empty
 */
public record GuardVerdict(GuardAction action, String ruleId, String reason, long offset, String match) {
  public GuardVerdict {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(reason, "reason");
    match = match == null ? "" : match;
  }

  static GuardVerdict pass(String ruleId) {
    return new GuardVerdict(GuardAction.PASS, ruleId, "allowed", -1, "");
  }

  public boolean passed() {
    return action == GuardAction.PASS;
  }
}
