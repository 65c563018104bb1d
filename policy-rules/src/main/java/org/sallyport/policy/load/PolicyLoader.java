package org.sallyport.policy.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sallyport.policy.eval.Condition;
import org.sallyport.policy.eval.Conditions;
import org.sallyport.policy.eval.Policy;
import org.sallyport.policy.eval.Rules;
import org.sallyport.policy.model.ChannelKind;
import org.sallyport.policy.model.OutputSettings;
import org.sallyport.policy.model.StreamAction;

/**
 * Loads a policy bundle (every {@code *.yaml} / {@code *.yml} file of one directory except
 * {@code *_test.yaml} test files, in name order) and validates it against the schema in POLICY.md.
 * Every CEL condition is compiled and type-checked and every pattern compiled here, so a policy that loads
 * cannot fail on a type error later.
 *
 * <p>Errors: {@link PolicyLoadException} with every problem found, each naming file, line and problem.
 */
public final class PolicyLoader {
    /** Where the bundled default policy (examples/camera-maintenance) sits on the class path. */
    public static final String DEFAULT_RESOURCE = "/org/sallyport/policy/default/camera-maintenance.yaml";

    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Set<String> TOP = Set.of("policy", "description", "timezone", "sites", "admission", "approvals",
            "limits", "channels", "input", "output", "http", "session");

    private PolicyLoader() {}

    /** Is this file name a policy file (and not a test file) of a bundle? */
    public static boolean isPolicyFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")) && !isTestFile(p);
    }

    public static boolean isTestFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith("_test.yaml") || n.endsWith("_test.yml");
    }

    /** Reads every policy file of {@code dir}; file names in problems are relative to nothing (plain names under dir). */
    public static Policy loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw PolicyLoadException.at(dir.toString(), 0, "not a directory");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(PolicyLoader::isPolicyFile).sorted().toList()) {
                files.put(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw PolicyLoadException.at(dir.toString(), 0, "a policy file is not UTF-8 text");
        } catch (IOException e) {
            throw PolicyLoadException.at(dir.toString(), 0, "cannot read: " + e.getMessage());
        }
        if (files.isEmpty()) throw PolicyLoadException.at(dir.toString(), 0, "no policy files (*.yaml) in this directory");
        return load(dir.toString(), files);
    }

    /** The bundled camera-maintenance policy, the default when no policy directory is configured. */
    public static Policy loadDefault() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw PolicyLoadException.at("classpath:" + DEFAULT_RESOURCE, 0, "missing from the class path");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return load("classpath:" + DEFAULT_RESOURCE, Map.of("classpath:" + DEFAULT_RESOURCE, text));
        } catch (IOException e) {
            throw PolicyLoadException.at("classpath:" + DEFAULT_RESOURCE, 0, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Loads a bundle from file name to text, in name order.
     *
     * @throws PolicyLoadException naming every problem
     */
    public static Policy load(String source, Map<String, String> files) {
        List<PolicyProblem> problems = new ArrayList<>();
        Bundle b = new Bundle();
        for (var e : new TreeMap<>(files).entrySet()) {
            YamlNode root;
            try {
                root = YamlReader.read(e.getKey(), e.getValue());
            } catch (PolicyLoadException x) {
                problems.addAll(x.problems());
                continue;
            }
            readFile(new Fields(e.getKey(), problems), root, b);
        }
        if (!problems.isEmpty()) throw new PolicyLoadException(problems);
        if (b.admission.isEmpty()) {
            throw PolicyLoadException.at(source, 0, "no admission rules: this policy would refuse every request");
        }
        return new Policy(source, fingerprint(files), b.timezone == null ? ZoneId.of("UTC") : b.timezone, b.sites,
                b.admission, b.approvals, b.limits, b.channels, b.input, b.output, b.http, b.session);
    }

    /** Collects what all files of a bundle declare. */
    private static final class Bundle {
        ZoneId timezone;
        String timezoneFile;
        final Map<String, ZoneId> sites = new HashMap<>();
        final Map<String, String> ruleIds = new HashMap<>();
        final List<Rules.Admission> admission = new ArrayList<>();
        final List<Rules.Approval> approvals = new ArrayList<>();
        final List<Rules.Limit> limits = new ArrayList<>();
        final List<Rules.Channels> channels = new ArrayList<>();
        final List<Rules.Input> input = new ArrayList<>();
        final List<Rules.Output> output = new ArrayList<>();
        final List<Rules.Http> http = new ArrayList<>();
        final List<Rules.Session> session = new ArrayList<>();
    }

    private static void readFile(Fields f, YamlNode root, Bundle b) {
        if (root instanceof YamlNode.Null) {
            f.problem(1, "empty file");
            return;
        }
        YamlNode.MapNode top = f.mapping(root, "top level", TOP);
        if (top == null) return;
        f.string(top, "policy", "top level", false);
        f.string(top, "description", "top level", false);
        String tz = f.string(top, "timezone", "top level", false);
        if (tz != null) {
            if (b.timezone != null) f.problem(f.lineOf(top, "timezone"), "timezone: already set in " + b.timezoneFile);
            b.timezone = zone(f, top.entries().get("timezone"), tz, "timezone");
            b.timezoneFile = f.file;
        }
        YamlNode sites = top.entries().get("sites");
        if (sites != null && !(sites instanceof YamlNode.Null)) {
            if (sites instanceof YamlNode.MapNode sm) {
                for (var e : sm.entries().entrySet()) {
                    String what = "sites." + e.getKey();
                    YamlNode.MapNode s = f.mapping(e.getValue(), what, Set.of("timezone"));
                    if (s == null) continue;
                    String z = f.string(s, "timezone", what, true);
                    if (z == null) continue;
                    if (b.sites.containsKey(e.getKey())) f.problem(e.getValue(), what + ": site declared twice");
                    ZoneId id = zone(f, s.entries().get("timezone"), z, what + ".timezone");
                    if (id != null) b.sites.put(e.getKey(), id);
                }
            } else {
                f.problem(sites, "sites: must be a mapping of site name to {timezone: ...}, found " + sites.kind());
            }
        }
        rules(f, top, "admission", b, (m, id, when, what) -> {
            String effect = f.oneOf(m, "effect", what, true, List.of("allow", "deny"));
            String reason = f.string(m, "reason", what, true);
            if (effect != null && reason != null) b.admission.add(new Rules.Admission(id, when, effect.equals("allow"), reason));
        }, Set.of("effect", "reason"));
        rules(f, top, "approvals", b, (m, id, when, what) -> {
            Integer count = f.integer(m, "count", what, 1, 5);
            if (count == null && !m.entries().containsKey("count")) f.problem(m, what + ": 'count' is required");
            String role = f.string(m, "role", what, false);
            String site = f.oneOf(m, "site", what, false, List.of("target", "any"));
            String reason = f.string(m, "reason", what, true);
            if (count != null && reason != null) {
                b.approvals.add(new Rules.Approval(id, when, count, role == null ? "supervisor" : role, site == null ? "target" : site, reason));
            }
        }, Set.of("count", "role", "site", "reason"));
        rules(f, top, "limits", b, (m, id, when, what) -> {
            var max = f.duration(m, "maxDuration", what);
            Rules.AllowedHours hours = allowedHours(f, m, what);
            Integer perVendor = f.integer(m, "maxConcurrentPerVendor", what, 1, 1000);
            Integer perTarget = f.integer(m, "maxConcurrentPerTarget", what, 1, 1000);
            if (!m.entries().containsKey("maxDuration") && !m.entries().containsKey("allowedHours")
                    && !m.entries().containsKey("maxConcurrentPerVendor") && !m.entries().containsKey("maxConcurrentPerTarget")) {
                f.problem(m, what + ": a limit rule needs at least one of maxDuration, allowedHours, maxConcurrentPerVendor, maxConcurrentPerTarget");
                return;
            }
            String reason = f.string(m, "reason", what, false);
            b.limits.add(new Rules.Limit(id, when, max, hours, perVendor == null ? 0 : perVendor, perTarget == null ? 0 : perTarget, reason));
        }, Set.of("maxDuration", "allowedHours", "maxConcurrentPerVendor", "maxConcurrentPerTarget", "reason"));
        Set<String> channelKeys = new LinkedHashSet<>();
        for (ChannelKind k : ChannelKind.values()) channelKeys.add(k.yamlName());
        channelKeys.add("reason");
        rules(f, top, "channels", b, (m, id, when, what) -> {
            Set<ChannelKind> allowed = EnumSet.noneOf(ChannelKind.class);
            List<com.google.re2j.Pattern> exec = List.of();
            for (ChannelKind k : ChannelKind.values()) {
                YamlNode v = m.entries().get(k.yamlName());
                if (v == null || v instanceof YamlNode.Null) continue;
                if (k == ChannelKind.EXEC && v instanceof YamlNode.MapNode em) {
                    YamlNode.MapNode e = f.mapping(em, what + ": exec", Set.of("allow"));
                    if (e == null) continue;
                    var ps = f.patterns(e, "allow", what + ": exec", true);
                    if (ps != null && !ps.isEmpty()) {
                        allowed.add(k);
                        exec = ps;
                    }
                    continue;
                }
                String s = f.oneOf(m, k.yamlName(), what, false, List.of("allow", "deny"));
                if ("allow".equals(s)) allowed.add(k);
            }
            b.channels.add(new Rules.Channels(id, when, allowed, exec, f.string(m, "reason", what, false)));
        }, channelKeys);
        rules(f, top, "input", b, (m, id, when, what) -> {
            var ps = f.patterns(m, "patterns", what, true);
            var unless = f.patterns(m, "unless", what, false);
            List<String> tools = f.strings(m, "tools", what, false);
            String action = f.oneOf(m, "action", what, true, List.of("block", "terminate"));
            String reason = f.string(m, "reason", what, true);
            if (ps != null && action != null && reason != null) {
                b.input.add(new Rules.Input(id, when, ps, unless == null ? List.of() : unless, tools == null ? List.of() : tools,
                        StreamAction.valueOf(action.toUpperCase(Locale.ROOT)), reason));
            }
        }, Set.of("patterns", "unless", "tools", "action", "reason"));
        rules(f, top, "output", b, (m, id, when, what) -> {
            List<String> dets = f.strings(m, "detectors", what, true);
            Set<String> set = new LinkedHashSet<>();
            if (dets != null) {
                for (String d : dets) {
                    if (d.equals("all")) set.addAll(OutputSettings.DETECTORS);
                    else if (OutputSettings.DETECTORS.contains(d)) set.add(d);
                    else f.problem(m.entries().get("detectors"), what + ": detectors: unknown detector '" + d + "' (known: all, "
                                + OutputSettings.DETECTORS.stream().sorted().toList() + ")");
                }
            }
            String action = f.oneOf(m, "action", what, false, List.of("block", "terminate"));
            Long max = f.size(m, "maxOutputBytes", what);
            Long rate = f.size(m, "maxBytesPerSecond", what);
            var window = f.duration(m, "rateWindow", what);
            String reason = f.string(m, "reason", what, true);
            if (dets != null && reason != null) {
                b.output.add(new Rules.Output(id, when, set, action == null ? StreamAction.TERMINATE : StreamAction.valueOf(action.toUpperCase(Locale.ROOT)),
                        max == null ? 0 : max, rate == null ? 0 : rate, window, reason));
            }
        }, Set.of("detectors", "action", "maxOutputBytes", "maxBytesPerSecond", "rateWindow", "reason"));
        rules(f, top, "http", b, (m, id, when, what) -> {
            List<String> methods = f.strings(m, "methods", what, true);
            var paths = f.patterns(m, "paths", what, true);
            List<String> q = f.strings(m, "deniedQueryParams", what, false);
            List<String> reqTypes = mediaTypes(f, m, "requestContentTypes", what);
            List<String> respTypes = mediaTypes(f, m, "responseContentTypes", what);
            if (respTypes == null && !m.entries().containsKey("responseContentTypes")) f.problem(m, what + ": 'responseContentTypes' is required");
            String reason = f.string(m, "reason", what, true);
            if (methods != null && paths != null && respTypes != null && reason != null) {
                b.http.add(new Rules.Http(id, when, methods.stream().map(s -> s.toUpperCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet()),
                        paths, q == null ? Set.of() : q.stream().map(Fields::lower).collect(java.util.stream.Collectors.toSet()),
                        reqTypes == null ? List.of() : reqTypes, respTypes, reason));
            }
        }, Set.of("methods", "paths", "deniedQueryParams", "requestContentTypes", "responseContentTypes", "reason"));
        rules(f, top, "session", b, (m, id, when, what) -> {
            if (!m.entries().containsKey("when")) f.problem(m, what + ": a session rule needs 'when' (it terminates when it holds)");
            String reason = f.string(m, "reason", what, true);
            if (reason != null) b.session.add(new Rules.Session(id, when, reason));
        }, Set.of("reason"));
    }

    private interface RuleReader {
        void read(YamlNode.MapNode m, String id, Condition when, String what);
    }

    /** Reads one section: a list of mappings, each with id, optional when, and the section's own keys. */
    private static void rules(Fields f, YamlNode.MapNode top, String section, Bundle b, RuleReader reader, Set<String> keys) {
        List<YamlNode> items = f.list(top, section, section);
        if (items == null) return;
        Set<String> allowed = new LinkedHashSet<>(keys);
        allowed.add("id");
        allowed.add("when");
        for (int i = 0; i < items.size(); i++) {
            YamlNode n = items.get(i);
            YamlNode.MapNode m = f.mapping(n, section + "[" + i + "]", allowed);
            if (m == null) continue;
            String id = f.string(m, "id", section + "[" + i + "]", true);
            if (id == null) continue;
            String what = section + " rule '" + id + "'";
            if (!RULE_ID.matcher(id).matches()) {
                f.problem(m.entries().get("id"), what + ": id must be lower case letters, digits, '.', '_' or '-' (at most 63)");
                continue;
            }
            String seen = b.ruleIds.putIfAbsent(id, f.file + ":" + m.line());
            if (seen != null) {
                f.problem(m.entries().get("id"), what + ": id already used at " + seen);
                continue;
            }
            Condition when = condition(f, m, what);
            if (when == null) continue;
            reader.read(m, id, when, what);
        }
    }

    private static Condition condition(Fields f, YamlNode.MapNode m, String what) {
        YamlNode n = m.entries().get("when");
        if (n == null) return conditionAlways();
        String src = f.string(m, "when", what, true);
        if (src == null) return null;
        try {
            return Conditions.compile(src);
        } catch (IllegalArgumentException e) {
            f.problem(n, what + ": when: " + e.getMessage());
            return null;
        }
    }

    private static Condition conditionAlways() {
        return Conditions.compile("true");
    }

    private static Rules.AllowedHours allowedHours(Fields f, YamlNode.MapNode m, String what) {
        YamlNode n = m.entries().get("allowedHours");
        if (n == null) return null;
        String w = what + ": allowedHours";
        YamlNode.MapNode h = f.mapping(n, w, Set.of("days", "from", "to"));
        if (h == null) return null;
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        List<String> ds = f.strings(h, "days", w, false);
        if (ds == null) days = EnumSet.allOf(DayOfWeek.class);
        else {
            for (String d : ds) {
                DayOfWeek dw = day(d);
                if (dw == null) f.problem(h.entries().get("days"), w + ": days: '" + d + "' is not one of MON TUE WED THU FRI SAT SUN");
                else days.add(dw);
            }
        }
        LocalTime from = time(f, h, "from", w);
        LocalTime to = time(f, h, "to", w);
        if (from == null || to == null) return null;
        if (!from.isBefore(to)) {
            f.problem(h, w + ": from " + from + " must be before to " + to + " (windows across midnight are two rules)");
            return null;
        }
        return new Rules.AllowedHours(days, from, to);
    }

    private static DayOfWeek day(String d) {
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().substring(0, 3).equalsIgnoreCase(d.strip())) return w;
        }
        return null;
    }

    private static LocalTime time(Fields f, YamlNode.MapNode m, String key, String what) {
        String v = f.string(m, key, what, true);
        if (v == null) return null;
        try {
            return v.equals("24:00") ? LocalTime.MAX : LocalTime.parse(v.strip());
        } catch (DateTimeParseException e) {
            f.problem(m.entries().get(key), what + ": " + key + ": '" + v + "' is not a time like 07:30");
            return null;
        }
    }

    private static List<String> mediaTypes(Fields f, YamlNode.MapNode m, String key, String what) {
        List<String> ts = f.strings(m, key, what, false);
        if (ts == null) return null;
        List<String> out = new ArrayList<>();
        for (String t : ts) {
            String l = t.strip().toLowerCase(Locale.ROOT);
            if (!l.matches("[a-z0-9.+-]+/([a-z0-9.+-]+|\\*)")) f.problem(m.entries().get(key), what + ": " + key + ": '" + t + "' is not a media type like text/html or image/*");
            else out.add(l);
        }
        return out;
    }

    private static ZoneId zone(Fields f, YamlNode at, String z, String what) {
        try {
            return ZoneId.of(z.strip());
        } catch (DateTimeException e) {
            f.problem(at, what + ": '" + z + "' is not a time zone like Europe/Berlin or UTC");
            return null;
        }
    }

    static String fingerprint(Map<String, String> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : new TreeMap<>(files).entrySet()) {
                String name = e.getKey();
                int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
                md.update(name.substring(slash + 1).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

}
