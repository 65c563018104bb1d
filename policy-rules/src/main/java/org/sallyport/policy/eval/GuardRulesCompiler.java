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
 * becomes several guard rules ({@code default.channel.scp}, {@code default.output.base64}), so every
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
            "binary", "binary",
            "annexb", "video.annexb",
            "mjpeg", "video.mjpeg",
            "base64", "base64",
            "hexdump", "hexdump",
            "uuencode", "uuencode");

    private GuardRulesCompiler() {}

    static GuardRules compile(Rules.Channels channels, List<Rules.Input> input, OutputSettings output) {
        return new GuardRules(channelRules(channels), inputRules(input), outputRules(output));
    }

    /** What each denied kind is called in a refusal (the policy rule's reason follows). */
    private static final Map<ChannelKind, String> DENIED = Map.of(
            ChannelKind.SHELL, "an interactive shell is not allowed",
            ChannelKind.EXEC, "remote commands are not allowed",
            ChannelKind.SCP, "file transfer (scp) is not allowed through Sallyport",
            ChannelKind.SUBSYSTEM, "subsystems (sftp) are not allowed through Sallyport",
            ChannelKind.PORT_FORWARD, "port forwarding is not allowed through Sallyport",
            ChannelKind.AGENT, "agent forwarding is not allowed through Sallyport",
            ChannelKind.X11, "X11 forwarding is not allowed through Sallyport");

    /**
     * One guard rule per channel kind, named {@code <rule>.<kind>} with the guard's wire names (shell, exec,
     * scp, subsystem, port-forward, agent, x11); an allowed sftp is {@code <rule>.sftp} before the
     * {@code <rule>.subsystem} deny that covers every other subsystem.
     */
    private static List<ChannelRule> channelRules(Rules.Channels r) {
        List<ChannelRule> out = new ArrayList<>();
        if (r == null) return out; // the guard's default deny (guard.channels.default-deny)
        Set<org.sallyport.policy.model.ChannelKind> allowed = r.allowed();
        String suffix = r.reason() == null ? " (policy rule " + r.id() + ")" : " (" + r.reason() + ")";
        for (ChannelKind k : List.of(ChannelKind.SHELL, ChannelKind.EXEC, ChannelKind.SCP, ChannelKind.PORT_FORWARD,
                ChannelKind.AGENT, ChannelKind.X11)) {
            String id = r.id() + "." + k.wireName();
            boolean allow = allowed.contains(switch (k) {
                case SHELL -> org.sallyport.policy.model.ChannelKind.SHELL;
                case EXEC -> org.sallyport.policy.model.ChannelKind.EXEC;
                case SCP -> org.sallyport.policy.model.ChannelKind.SCP;
                case PORT_FORWARD -> org.sallyport.policy.model.ChannelKind.PORT_FORWARDING;
                case AGENT -> org.sallyport.policy.model.ChannelKind.AGENT;
                case X11 -> org.sallyport.policy.model.ChannelKind.X11;
                case SUBSYSTEM -> throw new IllegalStateException("subsystems are handled below");
            });
            String allowedWhy = r.reason() == null ? k.wireName() + " allowed by " + r.id() : r.reason();
            if (k == ChannelKind.EXEC && allow && !r.execCommands().isEmpty()) {
                String any = r.execCommands().stream().map(p -> "(?:" + p.pattern() + ")").collect(Collectors.joining("|"));
                out.add(new ChannelRule(id, ChannelKind.EXEC, "^\\s*(?:" + any + ")\\s*$", true, allowedWhy));
                out.add(new ChannelRule(r.id() + ".exec-other", ChannelKind.EXEC, null, false,
                        "the command matches none of the allowed exec commands" + suffix));
            } else {
                out.add(new ChannelRule(id, k, null, allow, allow ? allowedWhy : DENIED.get(k) + suffix));
            }
        }
        if (allowed.contains(org.sallyport.policy.model.ChannelKind.SFTP)) {
            out.add(new ChannelRule(r.id() + ".sftp", ChannelKind.SUBSYSTEM, "^sftp$", true,
                    r.reason() == null ? "sftp allowed by " + r.id() : r.reason()));
        }
        out.add(new ChannelRule(r.id() + ".subsystem", ChannelKind.SUBSYSTEM, null, false, DENIED.get(ChannelKind.SUBSYSTEM) + suffix));
        return out;
    }

    private static List<InputRule> inputRules(List<Rules.Input> input) {
        List<InputRule> out = new ArrayList<>();
        for (Rules.Input r : input) {
            String any = r.patterns().stream().map(p -> "(?:" + p.pattern() + ")").collect(Collectors.joining("|"));
            if (!r.unless().isEmpty()) {
                // java.util.regex has the negative look-ahead RE2 lacks: the line matches unless an exemption occurs
                String none = r.unless().stream().map(p -> "(?:" + p.pattern() + ")").collect(Collectors.joining("|"));
                any = "^(?!.*(?:" + none + ")).*?(?:" + any + ")";
            }
            out.add(new InputRule(r.id(), any, action(r.action()), r.reason(), r.tools()));
        }
        return out;
    }

    private static OutputRules outputRules(OutputSettings o) {
        Set<Direction> both = EnumSet.allOf(Direction.class);
        List<DetectorRule> dets = new ArrayList<>();
        for (String name : List.of("binary", "annexb", "mjpeg", "base64", "hexdump", "uuencode")) {
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
