package org.sallyport.policy.load;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Typed, located access to a YAML mapping for the schema checks: every getter records a problem (file,
 * line, what is wrong) and returns null instead of throwing, so one load reports every problem.
 */
public final class Fields {
    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?");

    final String file;
    final List<PolicyProblem> problems;

    public String file() {
        return file;
    }

    public Fields(String file, List<PolicyProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    public void problem(int line, String message) {
        problems.add(new PolicyProblem(file, line, message));
    }

    public void problem(YamlNode at, String message) {
        problem(at == null ? 0 : at.line(), message);
    }

    /** The node as a mapping whose keys are all in {@code allowed}; null (with a problem) otherwise. */
    public YamlNode.MapNode mapping(YamlNode n, String what, Set<String> allowed) {
        if (!(n instanceof YamlNode.MapNode m)) {
            problem(n, what + ": must be a mapping, found " + n.kind());
            return null;
        }
        for (var e : m.keyLines().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                problem(e.getValue(), what + ": unknown key '" + e.getKey() + "' (allowed: " + allowed.stream().sorted().toList() + ")");
            }
        }
        return m;
    }

    /** A list node (null, with no problem, when absent). */
    public List<YamlNode> list(YamlNode.MapNode m, String key, String what) {
        YamlNode n = m.entries().get(key);
        if (n == null || n instanceof YamlNode.Null) return null;
        if (!(n instanceof YamlNode.Seq s)) {
            problem(n, what + ": " + key + ": must be a list, found " + n.kind());
            return null;
        }
        return s.items();
    }

    public int lineOf(YamlNode.MapNode m, String key) {
        Integer l = m.keyLines().get(key);
        return l == null ? m.line() : l;
    }

    public String string(YamlNode.MapNode m, String key, String what, boolean required) {
        YamlNode n = m.entries().get(key);
        if (n == null || n instanceof YamlNode.Null) {
            if (required) problem(m, what + ": '" + key + "' is required");
            return null;
        }
        if (!(n instanceof YamlNode.Scalar s)) {
            problem(n, what + ": " + key + ": must be a single value, found " + n.kind());
            return null;
        }
        if (required && s.text().isBlank()) {
            problem(n, what + ": " + key + ": must not be empty");
            return null;
        }
        return s.text();
    }

    public String oneOf(YamlNode.MapNode m, String key, String what, boolean required, List<String> choices) {
        String v = string(m, key, what, required);
        if (v != null && !choices.contains(v)) {
            problem(m.entries().get(key), what + ": " + key + ": '" + v + "' is not one of " + choices);
            return null;
        }
        return v;
    }

    public Integer integer(YamlNode.MapNode m, String key, String what, int min, int max) {
        String v = string(m, key, what, false);
        if (v == null) return null;
        try {
            int i = Integer.parseInt(v.strip());
            if (i < min || i > max) {
                problem(m.entries().get(key), what + ": " + key + ": " + i + " is outside " + min + ".." + max);
                return null;
            }
            return i;
        } catch (NumberFormatException e) {
            problem(m.entries().get(key), what + ": " + key + ": '" + v + "' is not a whole number");
            return null;
        }
    }

    public Duration duration(YamlNode.MapNode m, String key, String what) {
        String v = string(m, key, what, false);
        if (v == null) return null;
        Duration d = parseDuration(v);
        if (d == null || d.isZero()) {
            problem(m.entries().get(key), what + ": " + key + ": '" + v + "' is not a duration like 30m, 4h or 1h30m");
        }
        return d == null || d.isZero() ? null : d;
    }

    /** 1d2h30m15s, any part optional; null when malformed. */
    public static Duration parseDuration(String v) {
        Matcher mm = DURATION.matcher(v.strip());
        if (v.isBlank() || !mm.matches()) return null;
        Duration d = Duration.ZERO;
        if (mm.group(1) != null) d = d.plusDays(Long.parseLong(mm.group(1)));
        if (mm.group(2) != null) d = d.plusHours(Long.parseLong(mm.group(2)));
        if (mm.group(3) != null) d = d.plusMinutes(Long.parseLong(mm.group(3)));
        if (mm.group(4) != null) d = d.plusSeconds(Long.parseLong(mm.group(4)));
        return d;
    }

    public Long size(YamlNode.MapNode m, String key, String what) {
        String v = string(m, key, what, false);
        if (v == null) return null;
        Matcher mm = SIZE.matcher(v.strip());
        if (!mm.matches()) {
            problem(m.entries().get(key), what + ": " + key + ": '" + v + "' is not a size like 50MiB or 1GB");
            return null;
        }
        long n = Long.parseLong(mm.group(1));
        String unit = mm.group(2) == null ? "B" : mm.group(2);
        long mult = switch (unit) {
            case "KB" -> 1000L;
            case "KiB" -> 1024L;
            case "MB" -> 1000L * 1000;
            case "MiB" -> 1024L * 1024;
            case "GB" -> 1000L * 1000 * 1000;
            case "GiB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Math.multiplyExact(n, mult);
    }

    /** A list of scalars; a single scalar counts as a list of one. */
    public List<String> strings(YamlNode.MapNode m, String key, String what, boolean required) {
        YamlNode n = m.entries().get(key);
        if (n == null || n instanceof YamlNode.Null) {
            if (required) problem(m, what + ": '" + key + "' is required");
            return null;
        }
        if (n instanceof YamlNode.Scalar s) return List.of(s.text());
        if (!(n instanceof YamlNode.Seq seq)) {
            problem(n, what + ": " + key + ": must be a list, found " + n.kind());
            return null;
        }
        List<String> out = new ArrayList<>();
        for (YamlNode i : seq.items()) {
            if (i instanceof YamlNode.Scalar s) out.add(s.text());
            else problem(i, what + ": " + key + ": every item must be a single value, found " + i.kind());
        }
        if (required && out.isEmpty()) problem(n, what + ": " + key + ": must not be empty");
        return out;
    }

    /** RE2 patterns (linear time, no backtracking), each compiled now so a bad one is a load error. */
    public List<Pattern> patterns(YamlNode.MapNode m, String key, String what, boolean required) {
        List<String> src = strings(m, key, what, required);
        if (src == null) return null;
        List<Pattern> out = new ArrayList<>();
        for (String s : src) {
            try {
                out.add(Pattern.compile(s));
            } catch (PatternSyntaxException e) {
                problem(m.entries().get(key), what + ": " + key + ": bad pattern '" + s + "': " + e.getDescription());
                continue;
            }
            // The live guard (org.sallyport.policy.guard) matches with java.util.regex: a pattern must mean
            // the same in both engines, so RE2-only syntax such as (?P<name>...) is refused here, not at session start.
            try {
                java.util.regex.Pattern.compile(s);
            } catch (java.util.regex.PatternSyntaxException e) {
                problem(m.entries().get(key), what + ": " + key + ": pattern '" + s + "' is RE2 but not Java syntax: " + e.getDescription());
            }
        }
        return out;
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
