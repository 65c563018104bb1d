package org.sallyport.policy.eval;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sallyport.policy.model.AdmissionDecision;
import org.sallyport.policy.model.ApprovalRequirement;
import org.sallyport.policy.model.Decision;
import org.sallyport.policy.model.HttpRequestInfo;
import org.sallyport.policy.model.HttpResponseInfo;
import org.sallyport.policy.model.Limits;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.StreamVerdict;

/**
 * A loaded, validated policy: the pure decision function of Sallyport.
 *
 * <p>Security guarantees: default deny in every section that grants something (admission, approvals,
 * channels, HTTP): when no rule matches, the answer is a refusal whose rule id is
 * {@code <section>.default-deny}. A condition that fails at run time never grants: an admission or HTTP
 * rule that cannot be evaluated refuses, a restricting rule (input, output, session) that cannot be
 * evaluated applies. Every decision names its rule and a reason.
 *
 * <p>Restrictions: the policy does not count open windows or sessions; {@link Limits} hands the
 * concurrency caps to the broker, which counts.
 *
 * <p>Threading: immutable; safe to share between threads.
 */
public final class Policy {
    public static final String ADMISSION_DEFAULT_DENY = "admission.default-deny";
    public static final String APPROVALS_DEFAULT_DENY = "approvals.default-deny";
    public static final String CHANNELS_DEFAULT_DENY = "channels.default-deny";
    public static final String HTTP_DEFAULT_DENY = "http.default-deny";
    public static final String OUTPUT_DEFAULT = "output.default";
    public static final String INPUT_NONE = "input.none";
    public static final String SESSION_NONE = "session.none";

    private final String source;
    private final String fingerprint;
    private final ZoneId defaultZone;
    private final Map<String, ZoneId> siteZones;
    private final List<Rules.Admission> admission;
    private final List<Rules.Approval> approvals;
    private final List<Rules.Limit> limits;
    private final List<Rules.Channels> channels;
    private final List<Rules.Input> input;
    private final List<Rules.Output> output;
    private final List<Rules.Http> http;
    private final List<Rules.Session> session;

    /** Built by {@link org.sallyport.policy.load.PolicyLoader}. */
    public Policy(String source, String fingerprint, ZoneId defaultZone, Map<String, ZoneId> siteZones,
                  List<Rules.Admission> admission, List<Rules.Approval> approvals, List<Rules.Limit> limits,
                  List<Rules.Channels> channels, List<Rules.Input> input, List<Rules.Output> output,
                  List<Rules.Http> http, List<Rules.Session> session) {
        this.source = source;
        this.fingerprint = fingerprint;
        this.defaultZone = defaultZone;
        this.siteZones = Map.copyOf(siteZones);
        this.admission = List.copyOf(admission);
        this.approvals = List.copyOf(approvals);
        this.limits = List.copyOf(limits);
        this.channels = List.copyOf(channels);
        this.input = List.copyOf(input);
        this.output = List.copyOf(output);
        this.http = List.copyOf(http);
        this.session = List.copyOf(session);
    }

    /** Where the policy came from (a directory or a classpath resource). */
    public String source() {
        return source;
    }

    /** SHA-256 over the policy files' names and contents: which policy decided, for audit. */
    public String fingerprint() {
        return fingerprint;
    }

    public int ruleCount() {
        return admission.size() + approvals.size() + limits.size() + channels.size() + input.size() + output.size()
                + http.size() + session.size();
    }

    /** The site's time zone; the policy's default zone for a site it does not list. */
    public ZoneId zoneOf(String site) {
        return siteZones.getOrDefault(site, defaultZone);
    }

    // ------------------------------------------------------------------ requests

    /**
     * Admission, approvals and limits for one target of a request, in that order: the first admission rule
     * that matches allows or refuses; then every matching approval rule is combined (the largest count wins);
     * then every matching limit rule is checked (the window's length and hours) and combined.
     */
    public AdmissionDecision decideRequest(PolicyContext ctx) {
        Map<String, Object> vars = Conditions.activation(ctx, zoneOf(ctx.target().site()));
        Rules.Admission admittedBy = null;
        for (Rules.Admission r : admission) {
            boolean match;
            try {
                match = r.when().test(vars);
            } catch (Condition.ConditionFailedException e) {
                return new AdmissionDecision.Refused(r.id(), "rule " + r.id() + " could not be evaluated: " + e.getMessage());
            }
            if (!match) continue;
            if (!r.allow()) return new AdmissionDecision.Refused(r.id(), r.reason());
            admittedBy = r;
            break;
        }
        if (admittedBy == null) {
            return new AdmissionDecision.Refused(ADMISSION_DEFAULT_DENY, "no admission rule allows this request");
        }
        Rules.Approval need = null;
        for (Rules.Approval r : approvals) {
            try {
                if (r.when().test(vars) && (need == null || r.count() > need.count())) need = r;
            } catch (Condition.ConditionFailedException e) {
                return new AdmissionDecision.Refused(r.id(), "rule " + r.id() + " could not be evaluated: " + e.getMessage());
            }
        }
        if (need == null) {
            return new AdmissionDecision.Refused(APPROVALS_DEFAULT_DENY, "no approval rule covers this request");
        }
        Limits lim = Limits.NONE;
        for (Rules.Limit r : limits) {
            try {
                if (!r.when().test(vars)) continue;
            } catch (Condition.ConditionFailedException e) {
                return new AdmissionDecision.Refused(r.id(), "rule " + r.id() + " could not be evaluated: " + e.getMessage());
            }
            String broken = violation(r, ctx);
            if (broken != null) return new AdmissionDecision.Refused(r.id(), r.reason() == null ? broken : r.reason() + ": " + broken);
            lim = lim.tighten(new Limits(r.maxDuration(), r.maxDuration() == null ? null : r.id(),
                    r.maxConcurrentPerVendor(), r.maxConcurrentPerVendor() > 0 ? r.id() : null,
                    r.maxConcurrentPerTarget(), r.maxConcurrentPerTarget() > 0 ? r.id() : null));
        }
        Set<String> sites = "any".equals(need.site()) ? Set.of() : Set.of(ctx.target().site());
        return new AdmissionDecision.Admitted(admittedBy.id(), admittedBy.reason(),
                new ApprovalRequirement(need.count(), need.role(), sites, need.id(), need.reason()), lim);
    }

    /** What about the window breaks this limit rule; null when it keeps to it. */
    private String violation(Rules.Limit r, PolicyContext ctx) {
        Duration d = ctx.request().duration();
        if (r.maxDuration() != null && d.compareTo(r.maxDuration()) > 0) {
            return "duration " + human(d) + " is over the limit of " + human(r.maxDuration());
        }
        Rules.AllowedHours h = r.allowedHours();
        if (h != null) {
            ZoneId zone = zoneOf(ctx.target().site());
            LocalDateTime s = LocalDateTime.ofInstant(ctx.request().start(), zone);
            LocalDateTime e = LocalDateTime.ofInstant(ctx.request().end(), zone);
            String allowed = h.days().stream().sorted().map(Conditions::weekday).toList() + " " + h.from() + "-" + h.to() + " " + zone.getId();
            boolean ok = h.days().contains(s.getDayOfWeek())
                    && !s.toLocalTime().isBefore(h.from())
                    && s.toLocalDate().equals(e.toLocalDate()) && !e.toLocalTime().isAfter(h.to());
            if (!ok) return "window " + s + " to " + e + " (" + zone.getId() + ") is outside the allowed hours " + allowed;
        }
        return null;
    }

    // ------------------------------------------------------------------ sessions

    /**
     * The channel, input and output rules for one session, chosen once at session start with {@code ctx}
     * (so a policy reload never changes the rules of a running session).
     */
    public SessionRules sessionRules(PolicyContext ctx) {
        Map<String, Object> vars = Conditions.activation(ctx, zoneOf(ctx.target().site()));
        Rules.Channels ch = null;
        String chFailure = null;
        for (Rules.Channels r : channels) {
            try {
                if (r.when().test(vars)) {
                    ch = r;
                    break;
                }
            } catch (Condition.ConditionFailedException e) {
                chFailure = "rule " + r.id() + " could not be evaluated: " + e.getMessage();
                ch = new Rules.Channels(r.id(), Condition.ALWAYS, Set.of(), List.of(), chFailure);
                break;
            }
        }
        List<Rules.Input> in = new ArrayList<>();
        for (Rules.Input r : input) if (appliesFailClosed(r, vars)) in.add(r);
        Rules.Output out = null;
        for (Rules.Output r : output) {
            if (appliesFailClosed(r, vars)) {
                out = r;
                break;
            }
        }
        return new SessionRules(ch, in, out);
    }

    /**
     * The live guard's rules for a session starting now under this policy: {@code sessionRules(ctx).guardRules()}.
     * Build one {@link org.sallyport.policy.guard.StreamGuard} per session from it.
     */
    public org.sallyport.policy.guard.GuardRules guardRules(PolicyContext ctx) {
        return sessionRules(ctx).guardRules();
    }

    /**
     * Session rules over the live counters ({@code session.*}): the first that matches terminates.
     * Call it periodically with fresh {@link org.sallyport.policy.model.SessionInfo}.
     */
    public StreamVerdict decideSession(PolicyContext ctx) {
        Map<String, Object> vars = Conditions.activation(ctx, zoneOf(ctx.target().site()));
        for (Rules.Session r : session) {
            if (appliesFailClosed(r, vars)) {
                return new StreamVerdict(org.sallyport.policy.model.StreamAction.TERMINATE, r.id(), r.reason());
            }
        }
        return StreamVerdict.pass(SESSION_NONE, "no session rule matches");
    }

    private static boolean appliesFailClosed(Rules.Rule r, Map<String, Object> vars) {
        try {
            return r.when().test(vars);
        } catch (Condition.ConditionFailedException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------ HTTP

    /** The first HTTP rule whose condition matches decides; none: deny. */
    public Decision decideHttpRequest(PolicyContext ctx, HttpRequestInfo req) {
        Rules.Http r;
        try {
            r = httpRule(ctx);
        } catch (RuleFailed f) {
            return Decision.deny(f.ruleId, f.getMessage());
        }
        if (r == null) return Decision.deny(HTTP_DEFAULT_DENY, "no HTTP rule covers this target");
        String method = req.method() == null ? "" : req.method().toUpperCase(Locale.ROOT);
        if (!r.methods().contains(method)) return Decision.deny(r.id(), "method " + method + " is not allowed (allowed: " + r.methods().stream().sorted().toList() + ")");
        String path = req.path() == null ? "" : req.path();
        if (r.paths().stream().noneMatch(p -> p.matches(path))) return Decision.deny(r.id(), "path " + path + " is not allowed");
        for (String q : req.query().keySet()) {
            if (r.deniedQueryParams().contains(q.toLowerCase(Locale.ROOT))) return Decision.deny(r.id(), "query parameter '" + q + "' is not allowed");
        }
        if (req.contentType() != null && !MediaTypes.anyMatches(r.requestTypes(), req.contentType())) {
            return Decision.deny(r.id(), "request content type " + req.contentType() + " is not allowed");
        }
        return Decision.allow(r.id(), r.reason());
    }

    /** The same rule as for the request decides which response content types may reach the vendor. */
    public Decision decideHttpResponse(PolicyContext ctx, HttpResponseInfo resp) {
        Rules.Http r;
        try {
            r = httpRule(ctx);
        } catch (RuleFailed f) {
            return Decision.deny(f.ruleId, f.getMessage());
        }
        if (r == null) return Decision.deny(HTTP_DEFAULT_DENY, "no HTTP rule covers this target");
        if (resp.contentType() == null) {
            return resp.status() == 204 || resp.status() == 304 || (resp.status() >= 300 && resp.status() < 400)
                    ? Decision.allow(r.id(), "response without a body")
                    : Decision.deny(r.id(), "response without a content type");
        }
        if (!MediaTypes.anyMatches(r.responseTypes(), resp.contentType())) {
            return Decision.deny(r.id(), "response content type " + resp.contentType() + " is not allowed");
        }
        return Decision.allow(r.id(), r.reason());
    }

    private Rules.Http httpRule(PolicyContext ctx) {
        Map<String, Object> vars = Conditions.activation(ctx, zoneOf(ctx.target().site()));
        for (Rules.Http r : http) {
            try {
                if (r.when().test(vars)) return r;
            } catch (Condition.ConditionFailedException e) {
                throw new RuleFailed(r.id(), "rule " + r.id() + " could not be evaluated: " + e.getMessage());
            }
        }
        return null;
    }

    private static final class RuleFailed extends RuntimeException {
        final String ruleId;

        RuleFailed(String ruleId, String message) {
            super(message);
            this.ruleId = ruleId;
        }
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
