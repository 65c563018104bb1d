package org.sallyport.policy.guard;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pattern over the command lines a vendor submits (typed in a shell, sent on an exec channel's
 * standard input, or given as the exec command itself).
 *
 * <p>The {@link StreamGuard} reassembles each line from keystrokes (printable characters,
 * backspace/DEL, ctrl-U, ctrl-W, bracketed paste) and tests every rule's pattern with {@link
 * java.util.regex.Matcher#find()} when the line is submitted (CR or LF). Lines are capped at
 * {@link StreamGuard#MAX_LINE} characters, which also bounds the regex work per line.
 *
 * @param id rule id, reported in verdicts and audit events
 * @param pattern Java regular expression, found anywhere in the line
 * @param action {@link GuardAction#BLOCK} (the line is not submitted) or {@link
 *     GuardAction#TERMINATE}
 * @param reason human reason for the vendor and the audit event
 * @param toolNames command names this rule is about (e.g. {@code scp}); used, when the line was
 *     edited with tab completion, to treat an unfinished command word that is a prefix of one of
 *     them as a match (conservative judgement). May be empty.
 */
public record InputRule(
    String id, String pattern, GuardAction action, String reason, java.util.List<String> toolNames) {

  public InputRule {
    GuardRules.requireId(id, "input rule id");
    Objects.requireNonNull(pattern, "input rule " + id + ": pattern");
    Objects.requireNonNull(reason, "input rule " + id + ": reason");
    if (action != GuardAction.BLOCK && action != GuardAction.TERMINATE) {
      throw new IllegalArgumentException(
          "input rule " + id + ": action must be BLOCK or TERMINATE, not " + action);
    }
    ChannelRule.compile(id, pattern);
    toolNames = toolNames == null ? java.util.List.of() : java.util.List.copyOf(toolNames);
  }

  public InputRule(String id, String pattern, GuardAction action, String reason) {
    this(id, pattern, action, reason, java.util.List.of());
  }

  Pattern compiled() {
    return Pattern.compile(pattern);
  }
}
