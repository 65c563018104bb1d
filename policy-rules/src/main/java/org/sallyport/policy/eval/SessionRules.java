package org.sallyport.policy.eval;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sallyport.policy.model.ChannelKind;
import org.sallyport.policy.model.ChannelRequest;
import org.sallyport.policy.model.Decision;
import org.sallyport.policy.model.OutputSettings;
import org.sallyport.policy.model.StreamAction;
import org.sallyport.policy.model.StreamVerdict;

/**
 * The rules that govern one live session, fixed when it starts: which channels it may open, which input
 * lines are blocked or end it, and what watches its output.
 *
 * <p>Threading: immutable; RE2 patterns are safe to share.
 */
public final class SessionRules {
    private final Rules.Channels channels;
    private final List<Rules.Input> input;
    private final Rules.Output output;

    SessionRules(Rules.Channels channels, List<Rules.Input> input, Rules.Output output) {
        this.channels = channels;
        this.input = List.copyOf(input);
        this.output = output;
    }

    /**
     * Allow or deny a channel request. Unknown kinds (e.g. a subsystem other than sftp) and kinds the
     * matching rule does not list are denied; an exec command must fully match one of the rule's
     * {@code exec} patterns when it lists any.
     */
    public Decision channel(ChannelRequest req) {
        if (channels == null) return Decision.deny(Policy.CHANNELS_DEFAULT_DENY, "no channel rule covers this session");
        Optional<ChannelKind> kind = ChannelKind.classify(req.kind(), req.detail());
        if (kind.isEmpty()) return Decision.deny(channels.id(), "channel " + req.kind() + (req.detail() == null ? "" : " " + req.detail()) + " is not a kind policy allows");
        ChannelKind k = kind.get();
        if (!channels.allowed().contains(k)) return Decision.deny(channels.id(), k.yamlName() + " is not allowed for this session");
        if (k == ChannelKind.EXEC && !channels.execCommands().isEmpty()) {
            String cmd = req.detail() == null ? "" : req.detail().strip();
            if (channels.execCommands().stream().noneMatch(p -> p.matches(cmd))) {
                return Decision.deny(channels.id(), "command '" + cmd + "' matches none of the allowed exec commands");
            }
        }
        return Decision.allow(channels.id(), channels.reason() == null ? k.yamlName() + " allowed" : channels.reason());
    }

    /**
     * These rules as the live guard's configuration: the gateway builds the session's
     * {@link org.sallyport.policy.guard.StreamGuard} from it (see {@link GuardRulesCompiler}).
     */
    public org.sallyport.policy.guard.GuardRules guardRules() {
        return GuardRulesCompiler.compile(channels, input, output());
    }

    /** Which channel kinds the session's rule allows (empty when no rule matched). */
    public Set<ChannelKind> allowedChannels() {
        return channels == null ? Set.of() : channels.allowed();
    }

    /**
     * One command line the vendor typed (without its line terminator). The first input rule with a pattern
     * found in the line decides; none: pass.
     */
    public StreamVerdict inputLine(String line) {
        for (Rules.Input r : input) {
            if (r.unless().stream().anyMatch(u -> u.matcher(line).find())) continue;
            for (var p : r.patterns()) {
                if (p.matcher(line).find()) return new StreamVerdict(r.action(), r.id(), r.reason());
            }
        }
        return StreamVerdict.pass(Policy.INPUT_NONE, "no input rule matches");
    }

    /** The input rules in force, for a guard that matches lines itself. */
    public List<Rules.Input> inputRules() {
        return input;
    }

    /**
     * The output rule in force; with none matching, every detector with the default cap and TERMINATE
     * (fail closed: a policy that forgets output still protects it).
     */
    public OutputSettings output() {
        if (output == null) {
            return new OutputSettings(Policy.OUTPUT_DEFAULT, OutputSettings.DETECTORS, StreamAction.TERMINATE, 0, 0, null,
                    "no output rule matches: every detector is on");
        }
        return new OutputSettings(output.id(), output.detectors(), output.action(), output.maxOutputBytes(),
                output.maxBytesPerSecond(), output.rateWindow(), output.reason());
    }
}
