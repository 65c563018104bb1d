package org.sallyport.policy.eval;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.sallyport.policy.detect.DetectorConfig;
import org.sallyport.policy.detect.Direction;
import org.sallyport.policy.guard.ChannelKind;
import org.sallyport.policy.guard.ChannelRule;
import org.sallyport.policy.guard.DetectorRule;
import org.sallyport.policy.guard.GuardAction;
import org.sallyport.policy.guard.GuardRules;
import org.sallyport.policy.guard.InputRule;
import org.sallyport.policy.guard.OutputRules;
import org.sallyport.policy.guard.VolumeCap;
import org.sallyport.policy.model.OutputSettings;
import org.sallyport.policy.model.StreamAction;

/**
 * Compiles a session's channel, input and output rules (chosen from the YAML policy at session start) into
 * the live guard's {@link GuardRules}, from which the gateway builds each session's
 * {@link org.sallyport.policy.guard.StreamGuard}.
 *
 * <p>Rule ids: a guard rule carries the policy rule's id, suffixed with what it covers where one policy rule
 * becomes several guard rules ({@code shell-and-exec-only.scp}, {@code all-detectors.base64}), so every
 * verdict traces back to a line of the policy.
 *
 * <p>Semantics kept: channels not allowed are denied by an explicit rule naming the policy rule (and by the
 * guard's default deny for anything else, e.g. unknown subsystems); an exec allow-list is a full match;
 * output detectors watch both directions. Differences: on a line that several input rules match, the guard
 * applies the most severe action (the policy test runner reports the first rule); the guard matches
 * patterns with java.util.regex (the loader accepts only patterns valid in both RE2 and Java syntax).
 */
final class GuardRulesCompiler {
    private static final Map<String, String> DETECTOR_NAMES = Map.of(
            "signatures", "binary",
            "annexb", "video.annexb",
            "mjpeg", "video.mjpeg",
            "base64", "base64",
            "hexdump", "hexdump",
            "uuencode", "uuencode");

    private GuardRulesCompiler() {}

    static GuardRules compile(Rules.Channels channels, List<Rules.Input> input, OutputSettings output) {
        return new GuardRules(channelRules(channels), inputRules(input), outputRules(output));
    }

    private static List<ChannelRule> channelRules(Rules.Channels r) {
        List<ChannelRule> out = new ArrayList<>();
        if (r == null) return out; // the guard's default deny (guard.channels.default-deny)
        Set<org.sallyport.policy.model.ChannelKind> allowed = r.allowed();
        String why = r.reason() == null ? "not allowed by policy rule " + r.id() : r.reason();
        for (org.sallyport.policy.model.ChannelKind k : org.sallyport.policy.model.ChannelKind.values()) {
            String id = r.id() + "." + k.yamlName();
            boolean allow = allowed.contains(k);
            switch (k) {
                case SHELL -> out.add(new ChannelRule(id, ChannelKind.SHELL, null, allow, allow ? "shell allowed by " + r.id() : why));
                case EXEC -> {
                    if (allow && !r.execCommands().isEmpty()) {
                        String any = r.execCommands().stream().map(p -> "(?:" + p.pattern() + ")").collect(Collectors.joining("|"));
                        out.add(new ChannelRule(id, ChannelKind.EXEC, "^\\s*(?:" + any + ")\\s*$", true, "command on the allow-list of " + r.id()));
                        out.add(new ChannelRule(r.id() + ".exec-other", ChannelKind.EXEC, null, false,
                                "the command matches none of the allowed exec commands of " + r.id()));
                    } else {
                        out.add(new ChannelRule(id, ChannelKind.EXEC, null, allow, allow ? "exec allowed by " + r.id() : why));
                    }
                }
                case SFTP -> out.add(new ChannelRule(id, ChannelKind.SUBSYSTEM, "^sftp$", allow, allow ? "sftp allowed by " + r.id() : why));
                case SCP -> out.add(new ChannelRule(id, ChannelKind.SCP, null, allow, allow ? "scp allowed by " + r.id() : why));
                case PORT_FORWARDING -> out.add(new ChannelRule(id, ChannelKind.PORT_FORWARD, null, allow,
                        allow ? "port forwarding allowed by " + r.id() : why));
                case AGENT -> out.add(new ChannelRule(id, ChannelKind.AGENT, null, allow, allow ? "agent forwarding allowed by " + r.id() : why));
                case X11 -> out.add(new ChannelRule(id, ChannelKind.X11, null, allow, allow ? "X11 allowed by " + r.id() : why));
            }
        }
        // any other subsystem than sftp: an explicit deny naming the policy rule
        out.add(new ChannelRule(r.id() + ".subsystem", ChannelKind.SUBSYSTEM, null, false, why));
        return out;
    }

    private static List<InputRule> inputRules(List<Rules.Input> input) {
        List<InputRule> out = new ArrayList<>();
        for (Rules.Input r : input) {
            String any = r.patterns().stream().map(p -> "(?:" + p.pattern() + ")").collect(Collectors.joining("|"));
            out.add(new InputRule(r.id(), any, action(r.action()), r.reason()));
        }
        return out;
    }

    private static OutputRules outputRules(OutputSettings o) {
        Set<Direction> both = EnumSet.allOf(Direction.class);
        List<DetectorRule> dets = new ArrayList<>();
        for (String name : List.of("signatures", "annexb", "mjpeg", "base64", "hexdump", "uuencode")) {
            if (o.detectors().contains(name)) {
                dets.add(new DetectorRule(o.ruleId() + "." + name, DETECTOR_NAMES.get(name), action(o.action()), both));
            }
        }
        List<VolumeCap> caps = new ArrayList<>();
        long max = o.maxOutputBytes() > 0 ? o.maxOutputBytes() : DetectorConfig.withDefaults().maxOutputBytes();
        if (o.detectors().contains("volume") || o.maxBytesPerSecond() > 0) {
            caps.add(new VolumeCap(o.ruleId() + ".volume", o.detectors().contains("volume") ? max : 0, o.maxBytesPerSecond(),
                    o.rateWindow(), action(o.action())));
        }
        return new OutputRules(dets, DetectorConfig.withDefaults(), caps);
    }

    private static GuardAction action(StreamAction a) {
        return switch (a) {
            case PASS -> throw new IllegalArgumentException("a rule's action is block or terminate");
            case BLOCK -> GuardAction.BLOCK;
            case TERMINATE -> GuardAction.TERMINATE;
        };
    }
}
