package org.sallyport.policy.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyLoaderTest {
    private static final String ALLOW_ALL = """
            admission:
              - id: all
                effect: allow
                reason: everyone
            """;

    private static PolicyLoadException failure(String yaml) {
        try {
            PolicyLoader.load("test", Map.of("p.yaml", yaml));
        } catch (PolicyLoadException e) {
            return e;
        }
        throw new AssertionError("policy loaded but should not have");
    }

    @Test
    void bundledDefaultPolicyLoads() {
        var p = PolicyLoader.loadDefault();
        assertThat(p.ruleCount()).isGreaterThan(10);
        assertThat(p.fingerprint()).hasSize(64);
    }

    @Test
    void aMinimalPolicyLoads() {
        assertThat(PolicyLoader.load("t", Map.of("p.yaml", ALLOW_ALL)).ruleCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key in a rule       | admission:\\n  - id: a\\n    effect: allow\\n    reason: r\\n    efect: deny                        | 5 | unknown key 'efect'
            CEL type error              | admission:\\n  - id: a\\n    when: "requester.user == 1"\\n    effect: allow\\n    reason: r  | 3 | found no matching overload
            CEL unknown variable        | admission:\\n  - id: a\\n    when: "requester.name == 'x'"\\n    effect: allow\\n    reason: r | 3 | undeclared reference
            CEL not a bool              | admission:\\n  - id: a\\n    when: "time.hour"\\n    effect: allow\\n    reason: r             | 3 | expected type 'bool'
            effect not allow or deny    | admission:\\n  - id: a\\n    effect: maybe\\n    reason: r                                     | 3 | 'maybe' is not one of [allow, deny]
            missing reason              | admission:\\n  - id: a\\n    effect: allow                                                  | 2 | 'reason' is required
            bad RE2 pattern             | admission:\\n  - {id: a, effect: allow, reason: r}\\ninput:\\n  - id: i\\n    patterns: ['(unclosed']\\n    action: block\\n    reason: r | 5 | bad pattern
            backreference is not RE2    | admission:\\n  - {id: a, effect: allow, reason: r}\\ninput:\\n  - id: i\\n    patterns: ['(a)\\1']\\n    action: block\\n    reason: r | 5 | bad pattern
            RE2-only named group        | admission:\\n  - {id: a, effect: allow, reason: r}\\ninput:\\n  - id: i\\n    patterns: ['(?P<x>a)']\\n    action: block\\n    reason: r | 5 | not Java syntax
            approval count out of range | admission:\\n  - {id: a, effect: allow, reason: r}\\napprovals:\\n  - id: b\\n    count: 9\\n    reason: r  | 5 | outside 1..5
            bad duration                | admission:\\n  - {id: a, effect: allow, reason: r}\\nlimits:\\n  - id: l\\n    maxDuration: forever   | 5 | not a duration
            hours across midnight       | admission:\\n  - {id: a, effect: allow, reason: r}\\nlimits:\\n  - id: l\\n    allowedHours: {from: '22:00', to: '06:00'} | 5 | must be before
            unknown detector            | admission:\\n  - {id: a, effect: allow, reason: r}\\noutput:\\n  - id: o\\n    detectors: [jpeg]\\n    reason: r | 5 | unknown detector 'jpeg'
            duplicate rule id           | admission:\\n  - {id: a, effect: allow, reason: r}\\n  - {id: a, effect: deny, reason: r}    | 3 | id already used at p.yaml:2
            duplicate key               | admission:\\n  - id: a\\n    id: b\\n    effect: allow\\n    reason: r                        | 3 | duplicate key 'id'
            bad time zone               | timezone: Mars/Olympus\\nadmission:\\n  - {id: a, effect: allow, reason: r}                    | 1 | not a time zone
            unknown section             | admision:\\n  - {id: a, effect: allow, reason: r}                                              | 1 | unknown key 'admision'
            YAML syntax error           | admission:\\n  - id: a\\n   effect: [allow                                                   | 3 | not valid YAML
            """)
    void problemsNameFileLineAndWhatIsWrong(String name, String yaml, int line, String message) {
        var e = failure(yaml.replace("\\n", "\n"));
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo("p.yaml");
            assertThat(p.message()).contains(message);
            assertThat(p.line()).isEqualTo(line);
        });
        assertThat(e.getMessage()).contains("p.yaml:");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var e = failure("""
                admission:
                  - id: a
                    effect: allow
                    reason: r
                    when: "request.duration > 5"
                  - id: B
                    effect: allow
                    reason: r
                """);
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0).line()).isEqualTo(5);
        assertThat(e.problems().get(1).message()).contains("id must be lower case");
    }

    @Test
    void unquotedTimesAndSizesKeepTheirText() {
        // YAML 1.1 would read 19:00 as the sexagesimal number 1140; the loader keeps the scalar's text
        var p = PolicyLoader.load("t", Map.of("p.yaml", ALLOW_ALL + """
                approvals:
                  - {id: one, count: 1, reason: r}
                limits:
                  - id: hours
                    allowedHours: {days: [MON], from: 07:00, to: 19:00}
                """));
        var ctx = org.sallyport.policy.model.PolicyContext.forRequest(new org.sallyport.policy.model.Requester("u", "o", java.util.Set.of()),
                new org.sallyport.policy.model.TargetInfo("t", "s", "camera", java.util.Set.of()),
                new org.sallyport.policy.model.RequestInfo(java.time.Instant.parse("2026-11-30T18:00:00Z"), java.time.Duration.ofMinutes(59), "", ""));
        assertThat(p.decideRequest(ctx)).isInstanceOf(org.sallyport.policy.model.AdmissionDecision.Admitted.class);
        var late = new org.sallyport.policy.model.RequestInfo(java.time.Instant.parse("2026-11-30T18:30:00Z"), java.time.Duration.ofHours(1), "", "");
        assertThat(p.decideRequest(org.sallyport.policy.model.PolicyContext.forRequest(ctx.requester(), ctx.target(), late)).ruleId()).isEqualTo("hours");
    }

    @Test
    void aPolicyWithoutAdmissionRulesIsRefused() {
        assertThatThrownBy(() -> PolicyLoader.load("dir", Map.of("p.yaml", "timezone: UTC\n")))
                .isInstanceOf(PolicyLoadException.class).hasMessageContaining("no admission rules");
    }

    @Test
    void rulesMaySpanFilesButIdsStayUnique() {
        var e = assertThatThrownBy(() -> PolicyLoader.load("dir", Map.of("a.yaml", ALLOW_ALL, "b.yaml", ALLOW_ALL)));
        e.isInstanceOf(PolicyLoadException.class).hasMessageContaining("b.yaml:2").hasMessageContaining("id already used at a.yaml:2");
    }
}
