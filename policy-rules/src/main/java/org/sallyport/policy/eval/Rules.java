package org.sallyport.policy.eval;

import com.google.re2j.Pattern;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import org.sallyport.policy.model.ChannelKind;
import org.sallyport.policy.model.StreamAction;

/**
 * The compiled rules of a policy, one record per rule kind. Built only by the loader, after validation;
 * every {@link Condition} is already type-checked and every pattern compiled (RE2 syntax, linear time).
 */
public final class Rules {
    private Rules() {}

    /** Common to every rule: its id (unique in the policy) and the condition under which it applies. */
    public sealed interface Rule permits Admission, Approval, Limit, Channels, Input, Output, Http, Session {
        String id();

        Condition when();
    }

    public record Admission(String id, Condition when, boolean allow, String reason) implements Rule {}

    /** @param site "target" (approvers supervise the target's site) or "any" */
    public record Approval(String id, Condition when, int count, String role, String site, String reason) implements Rule {}

    /** Allowed days and a daily window [from, to) in the site's local time; from is before to. */
    public record AllowedHours(Set<DayOfWeek> days, LocalTime from, LocalTime to) {}

    /** Any of the limits may be null / 0 (absent). */
    public record Limit(String id, Condition when, Duration maxDuration, AllowedHours allowedHours,
                        int maxConcurrentPerVendor, int maxConcurrentPerTarget, String reason) implements Rule {}

    /** @param execCommands full-match patterns an exec command must match; empty means any command */
    public record Channels(String id, Condition when, Set<ChannelKind> allowed, List<Pattern> execCommands,
                           String reason) implements Rule {}

    /**
     * @param unless patterns that, found in the line, exempt it (RE2 has no negative look-ahead)
     * @param tools  command names this rule is about; the guard treats a tab-completed prefix of one as a match
     */
    public record Input(String id, Condition when, List<Pattern> patterns, List<Pattern> unless, List<String> tools,
                        StreamAction action, String reason) implements Rule {}

    public record Output(String id, Condition when, Set<String> detectors, StreamAction action, long maxOutputBytes,
                         long maxBytesPerSecond, Duration rateWindow, String reason) implements Rule {}

    /**
     * @param paths            full-match patterns; a request path must match one
     * @param deniedQueryParams query parameter names that refuse a request
     * @param requestTypes     media types (type/subtype or type/*) a request body may have; empty: no body allowed
     * @param responseTypes    media types a response may have
     */
    public record Http(String id, Condition when, Set<String> methods, List<Pattern> paths, Set<String> deniedQueryParams,
                       List<String> requestTypes, List<String> responseTypes, String reason) implements Rule {}

    /** A live session that makes {@code when} true is terminated. */
    public record Session(String id, Condition when, String reason) implements Rule {}
}
