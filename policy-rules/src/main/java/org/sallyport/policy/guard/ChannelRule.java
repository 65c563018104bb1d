package org.sallyport.policy.guard;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One channel rule: whether a channel request of a kind (and, for exec/subsystem/port-forward, a
 * detail matching a pattern) is allowed. Rules are tried in order; the first that matches decides;
 * none matches: deny ({@link GuardRules#RULE_CHANNEL_DEFAULT}).
 *
 * @param id rule id, reported in verdicts and audit events
 * @param kind the channel kind this rule applies to
 * @param detailPattern optional regular expression (Java syntax) that must be <em>found</em> in the
 *     request detail: the exec command line, the subsystem name or the forwarded address; {@code
 *     null} matches any detail. Anchor it ({@code ^...$}) to match the whole detail.
 * @param allow true to allow, false to deny
 * @param reason human reason, shown to the vendor when denied and written to the audit event
 */
public record ChannelRule(
    String id, ChannelKind kind, String detailPattern, boolean allow, String reason) {

  public ChannelRule {
    GuardRules.requireId(id, "channel rule id");
    Objects.requireNonNull(kind, "channel rule " + id + ": kind");
    Objects.requireNonNull(reason, "channel rule " + id + ": reason");
    if (detailPattern != null) {
      compile(id, detailPattern);
    }
  }

  public static ChannelRule allow(String id, ChannelKind kind, String reason) {
    return new ChannelRule(id, kind, null, true, reason);
  }

  public static ChannelRule deny(String id, ChannelKind kind, String reason) {
    return new ChannelRule(id, kind, null, false, reason);
  }

  /** True if this rule applies to a request of {@code k} with {@code detail} (may be null). */
  public boolean matches(ChannelKind k, String detail) {
    if (k != kind) {
      return false;
    }
    if (detailPattern == null) {
      return true;
    }
    return compile(id, detailPattern).matcher(detail == null ? "" : detail).find();
  }

  static Pattern compile(String id, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "rule " + id + ": invalid pattern: " + e.getDescription() + " near index " + e.getIndex(),
          e);
    }
  }
}
