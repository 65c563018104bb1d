package org.sallyport.policy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.sallyport.policy.eval.Policy;
import org.sallyport.policy.load.Fields;
import org.sallyport.policy.load.PolicyLoadException;
import org.sallyport.policy.load.PolicyLoader;
import org.sallyport.policy.load.PolicyProblem;
import org.sallyport.policy.load.YamlNode;
import org.sallyport.policy.load.YamlReader;
import org.sallyport.policy.model.AdmissionDecision;
import org.sallyport.policy.model.ChannelRequest;
import org.sallyport.policy.model.Decision;
import org.sallyport.policy.model.HttpRequestInfo;
import org.sallyport.policy.model.HttpResponseInfo;
import org.sallyport.policy.model.OutputSettings;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.RequestInfo;
import org.sallyport.policy.model.Requester;
import org.sallyport.policy.model.SessionInfo;
import org.sallyport.policy.model.StreamVerdict;
import org.sallyport.policy.model.TargetInfo;

/**
 * Runs policy test files, like {@code opa test}: every directory under the given one that holds policy
 * files is a bundle; its {@code *_test.yaml} files hold cases (context in, expected decision and rule out)
 * that run against that bundle. Format: POLICY.md, "Testing a policy".
 */
public final class PolicyTestRunner {
    private static final Set<String> CONTEXT_KEYS = Set.of("requester", "target", "request", "session", "at");
    private static final Set<String> CASE_KEYS;

    static {
        Set<String> k = new HashSet<>(CONTEXT_KEYS);
        k.addAll(Set.of("name", "check", "channel", "line", "http", "expect"));
        CASE_KEYS = Set.copyOf(k);
    }

    private PolicyTestRunner() {}

    public static TestReport run(Path dir) {
        List<TestCaseResult> results = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new TestReport(results, List.of(dir + ": not a directory"));
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(dir)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return new TestReport(results, List.of(dir + ": cannot read: " + e.getMessage()));
        }
        int bundles = 0;
        for (Path d : dirs) {
            List<Path> policyFiles;
            List<Path> testFiles;
            try (Stream<Path> s = Files.list(d)) {
                List<Path> all = s.sorted().toList();
                policyFiles = all.stream().filter(PolicyLoader::isPolicyFile).toList();
                testFiles = all.stream().filter(p -> Files.isRegularFile(p) && PolicyLoader.isTestFile(p)).toList();
            } catch (IOException e) {
                unusable.add(d + ": cannot read: " + e.getMessage());
                continue;
            }
            if (policyFiles.isEmpty()) {
                if (!testFiles.isEmpty()) unusable.add(d + ": test files but no policy files next to them");
                continue;
            }
            bundles++;
            Policy policy;
            try {
                policy = PolicyLoader.loadDirectory(d);
            } catch (PolicyLoadException e) {
                unusable.add(d + ": policy does not load:\n  " + e.getMessage().replace("\n", "\n  "));
                continue;
            }
            if (testFiles.isEmpty()) unusable.add(d + ": policy without tests (add a *_test.yaml file)");
            for (Path t : testFiles) runFile(policy, t, results, unusable);
        }
        if (bundles == 0) unusable.add(dir + ": no policy files (*.yaml) found");
        return new TestReport(results, unusable);
    }

    private static void runFile(Policy policy, Path file, List<TestCaseResult> results, List<String> unusable) {
        String name = file.toString();
        List<PolicyProblem> problems = new ArrayList<>();
        Fields f = new Fields(name, problems);
        YamlNode root;
        try {
            root = YamlReader.read(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (PolicyLoadException e) {
            unusable.add(e.getMessage());
            return;
        } catch (IOException e) {
            unusable.add(name + ": cannot read: " + e.getMessage());
            return;
        }
        YamlNode.MapNode top = f.mapping(root, "test file", Set.of("defaults", "tests"));
        if (top == null) {
            problems.forEach(p -> unusable.add(p.toString()));
            return;
        }
        Map<String, YamlNode> defaults = new LinkedHashMap<>();
        YamlNode dn = top.entries().get("defaults");
        if (dn != null) {
            YamlNode.MapNode dm = f.mapping(dn, "defaults", CONTEXT_KEYS);
            if (dm != null) defaults.putAll(dm.entries());
        }
        List<YamlNode> tests = f.list(top, "tests", "test file");
        if (tests == null || tests.isEmpty()) f.problem(top, "test file: 'tests' must list at least one case");
        if (!problems.isEmpty()) {
            problems.forEach(p -> unusable.add(p.toString()));
            return;
        }
        for (YamlNode tn : tests) {
            int before = problems.size();
            YamlNode.MapNode c = f.mapping(tn, "test case", CASE_KEYS);
            if (c == null) continue;
            String caseName = f.string(c, "name", "test case", true);
            TestCaseResult r = runCase(policy, f, c, defaults, caseName == null ? "(unnamed)" : caseName);
            if (problems.size() > before) continue;
            results.add(r);
        }
        problems.forEach(p -> unusable.add(p.toString()));
    }

    private static TestCaseResult runCase(Policy policy, Fields f, YamlNode.MapNode c, Map<String, YamlNode> defaults, String name) {
        String loc = f.file() + ":" + c.line();
        String check = f.oneOf(c, "check", "test '" + name + "'", false,
                List.of("request", "channel", "input", "output", "session", "http-request", "http-response"));
        if (check == null) check = "request";
        String what = "test '" + name + "'";
        PolicyContext ctx = context(f, c, defaults, what);
        YamlNode.MapNode exp = c.entries().get("expect") == null ? null
                : f.mapping(c.entries().get("expect"), what + ": expect", Set.of("decision", "rule", "approvals", "reasonContains", "detectors", "maxOutputBytes"));
        if (exp == null) {
            if (!c.entries().containsKey("expect")) f.problem(c, what + ": 'expect' is required");
            return null;
        }
        String wantDecision = f.string(exp, "decision", what + ": expect", check.equals("output") ? false : true);
        String wantRule = f.string(exp, "rule", what + ": expect", false);
        Integer wantApprovals = f.integer(exp, "approvals", what + ": expect", 1, 5);
        String wantReason = f.string(exp, "reasonContains", what + ": expect", false);
        if (ctx == null) return null;
        String gotDecision;
        String gotRule;
        String gotReason;
        List<String> diffs = new ArrayList<>();
        switch (check) {
            case "request" -> {
                AdmissionDecision d = policy.decideRequest(ctx);
                gotDecision = d instanceof AdmissionDecision.Admitted ? "allow" : "deny";
                gotRule = d.ruleId();
                gotReason = d.reason();
                if (wantApprovals != null) {
                    if (d instanceof AdmissionDecision.Admitted a) {
                        if (a.approvals().count() != wantApprovals) {
                            diffs.add("approvals: expected " + wantApprovals + ", got " + a.approvals().count() + " (rule " + a.approvals().ruleId() + ")");
                        }
                    } else {
                        diffs.add("approvals: expected " + wantApprovals + ", but the request was refused");
                    }
                }
            }
            case "channel" -> {
                YamlNode.MapNode ch = f.mapping(orNull(f, c, "channel", what), what + ": channel", Set.of("kind", "command", "detail"));
                if (ch == null) return null;
                String kind = f.string(ch, "kind", what + ": channel", true);
                String detail = f.string(ch, "command", what + ": channel", false);
                if (detail == null) detail = f.string(ch, "detail", what + ": channel", false);
                Decision d = policy.sessionRules(ctx).channel(new ChannelRequest(kind, detail));
                gotDecision = d.allowed() ? "allow" : "deny";
                gotRule = d.ruleId();
                gotReason = d.reason();
            }
            case "input" -> {
                String line = f.string(c, "line", what, true);
                if (line == null) return null;
                StreamVerdict v = policy.sessionRules(ctx).inputLine(line);
                gotDecision = v.action().name().toLowerCase(Locale.ROOT);
                gotRule = v.ruleId();
                gotReason = v.reason();
            }
            case "session" -> {
                StreamVerdict v = policy.decideSession(ctx);
                gotDecision = v.action().name().toLowerCase(Locale.ROOT);
                gotRule = v.ruleId();
                gotReason = v.reason();
            }
            case "output" -> {
                OutputSettings o = policy.sessionRules(ctx).output();
                gotDecision = o.action().name().toLowerCase(Locale.ROOT);
                gotRule = o.ruleId();
                gotReason = o.reason();
                List<String> wantDet = f.strings(exp, "detectors", what + ": expect", false);
                if (wantDet != null) {
                    Set<String> want = wantDet.contains("all") ? OutputSettings.DETECTORS : Set.copyOf(wantDet);
                    if (!want.equals(o.detectors())) diffs.add("detectors: expected " + sorted(want) + ", got " + sorted(o.detectors()));
                }
                Long wantMax = f.size(exp, "maxOutputBytes", what + ": expect");
                if (wantMax != null && wantMax != o.maxOutputBytes()) diffs.add("maxOutputBytes: expected " + wantMax + ", got " + o.maxOutputBytes());
            }
            default -> {
                YamlNode.MapNode h = f.mapping(orNull(f, c, "http", what), what + ": http",
                        Set.of("method", "path", "query", "contentType", "status"));
                if (h == null) return null;
                Decision d;
                if (check.equals("http-request")) {
                    Map<String, List<String>> q = new LinkedHashMap<>();
                    YamlNode qn = h.entries().get("query");
                    if (qn instanceof YamlNode.MapNode qm) {
                        for (var e : qm.entries().entrySet()) {
                            q.put(e.getKey(), e.getValue() instanceof YamlNode.Scalar s ? List.of(s.text()) : List.of());
                        }
                    } else if (qn != null && !(qn instanceof YamlNode.Null)) {
                        f.problem(qn, what + ": http: query: must be a mapping of name to value");
                        return null;
                    }
                    d = policy.decideHttpRequest(ctx, new HttpRequestInfo(f.string(h, "method", what + ": http", true),
                            f.string(h, "path", what + ": http", true), q, f.string(h, "contentType", what + ": http", false)));
                } else {
                    Integer status = f.integer(h, "status", what + ": http", 100, 599);
                    d = policy.decideHttpResponse(ctx, new HttpResponseInfo(status == null ? 200 : status,
                            f.string(h, "contentType", what + ": http", false)));
                }
                gotDecision = d.allowed() ? "allow" : "deny";
                gotRule = d.ruleId();
                gotReason = d.reason();
            }
        }
        if (wantDecision != null && !wantDecision.equalsIgnoreCase(gotDecision)) {
            diffs.add(0, "decision: expected " + wantDecision + ", got " + gotDecision);
        }
        if (wantRule != null && !wantRule.equals(gotRule)) diffs.add("rule: expected " + wantRule + ", got " + gotRule);
        if (wantReason != null && (gotReason == null || !gotReason.contains(wantReason))) {
            diffs.add("reason: expected to contain '" + wantReason + "'");
        }
        if (diffs.isEmpty()) return new TestCaseResult(loc, name, null);
        diffs.add("actual: " + gotDecision + " by rule " + gotRule + ": " + gotReason);
        return new TestCaseResult(loc, name, String.join("\n", diffs));
    }

    private static YamlNode orNull(Fields f, YamlNode.MapNode c, String key, String what) {
        YamlNode n = c.entries().get(key);
        if (n == null) {
            f.problem(c, what + ": '" + key + "' is required for this check");
            return new YamlNode.Null(c.line());
        }
        return n;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    /** The context of a case: its own sections, each falling back key by key to the file's defaults. */
    private static PolicyContext context(Fields f, YamlNode.MapNode c, Map<String, YamlNode> defaults, String what) {
        YamlNode.MapNode rq = section(f, c, defaults, "requester", Set.of("user", "org", "groups"), what);
        YamlNode.MapNode tg = section(f, c, defaults, "target", Set.of("id", "site", "kind", "tags"), what);
        YamlNode.MapNode re = section(f, c, defaults, "request", Set.of("start", "duration", "reason", "ticket"), what);
        YamlNode.MapNode se = section(f, c, defaults, "session", Set.of("bytesIn", "bytesOut", "elapsed"), what);
        if (rq == null || tg == null || re == null || se == null) return null;
        String user = f.string(rq, "user", what + ": requester", true);
        List<String> groups = f.strings(rq, "groups", what + ": requester", false);
        String tid = f.string(tg, "id", what + ": target", true);
        String site = f.string(tg, "site", what + ": target", true);
        List<String> tags = f.strings(tg, "tags", what + ": target", false);
        Instant start = instant(f, re, "start", what + ": request", true);
        Duration dur = f.duration(re, "duration", what + ": request");
        if (dur == null && !re.entries().containsKey("duration")) f.problem(re, what + ": request: 'duration' is required");
        Long in = f.size(se, "bytesIn", what + ": session");
        Long out = f.size(se, "bytesOut", what + ": session");
        Duration elapsed = se.entries().containsKey("elapsed") ? f.duration(se, "elapsed", what + ": session") : Duration.ZERO;
        Instant at = null;
        YamlNode atNode = c.entries().containsKey("at") ? c.entries().get("at") : defaults.get("at");
        if (atNode instanceof YamlNode.Scalar s) at = parseInstant(f, atNode, s.text(), what + ": at");
        if (user == null || tid == null || site == null || start == null || dur == null) return null;
        RequestInfo request = new RequestInfo(start, dur, f.string(re, "reason", what, false), f.string(re, "ticket", what, false));
        return new PolicyContext(new Requester(user, f.string(rq, "org", what, false), groups == null ? Set.of() : Set.copyOf(groups)),
                new TargetInfo(tid, site, f.string(tg, "kind", what, false), tags == null ? Set.of() : Set.copyOf(tags)),
                request, new SessionInfo(in == null ? 0 : in, out == null ? 0 : out, elapsed), at == null ? start : at);
    }

    private static YamlNode.MapNode section(Fields f, YamlNode.MapNode c, Map<String, YamlNode> defaults, String key, Set<String> keys, String what) {
        Map<String, YamlNode> merged = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (YamlNode n : new YamlNode[] {defaults.get(key), c.entries().get(key)}) {
            if (n == null || n instanceof YamlNode.Null) continue;
            YamlNode.MapNode m = f.mapping(n, what + ": " + key, keys);
            if (m == null) return null;
            merged.putAll(m.entries());
            lines.putAll(m.keyLines());
        }
        return new YamlNode.MapNode(merged, lines, c.line());
    }

    private static Instant instant(Fields f, YamlNode.MapNode m, String key, String what, boolean required) {
        String v = f.string(m, key, what, required);
        return v == null ? null : parseInstant(f, m.entries().get(key), v, what + ": " + key);
    }

    private static Instant parseInstant(Fields f, YamlNode at, String v, String what) {
        try {
            return Instant.parse(v.strip());
        } catch (DateTimeParseException e) {
            f.problem(at, what + ": '" + v + "' is not an instant like 2026-12-01T15:00:00Z");
            return null;
        }
    }
}
