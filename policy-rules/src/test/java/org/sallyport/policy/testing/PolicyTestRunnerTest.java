package org.sallyport.policy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTestRunnerTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            admission:
              - id: vendors
                when: "'vendor' in requester.groups"
                effect: allow
                reason: vendors may ask
            approvals:
              - {id: one, count: 1, reason: r}
            """;

    private static String print(TestReport r) {
        var out = new ByteArrayOutputStream();
        r.print(new PrintStream(out, true, StandardCharsets.UTF_8), true);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theShippedExamplesPass() {
        TestReport r = PolicyTestRunner.run(Path.of("examples"));
        assertThat(print(r)).contains("0 failed");
        assertThat(r.unusable()).isEmpty();
        assertThat(r.passed()).isGreaterThan(40);
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void aWrongExpectationIsReportedWithWhatDiffered() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), POLICY);
        Files.writeString(dir.resolve("p_test.yaml"), """
                defaults:
                  requester: {user: u, groups: [vendor]}
                  target: {id: t, site: s}
                  request: {start: "2026-12-01T10:00:00Z", duration: 1h}
                tests:
                  - name: vendor admitted
                    expect: {decision: allow, rule: vendors, approvals: 1}
                  - name: a deliberately wrong expectation
                    requester: {groups: []}
                    expect: {decision: allow, rule: vendors}
                """);
        TestReport r = PolicyTestRunner.run(dir);
        assertThat(r.passed()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.exitCode()).isEqualTo(1);
        String text = print(r);
        assertThat(text).contains("FAIL").contains("p_test.yaml:8 a deliberately wrong expectation")
                .contains("decision: expected allow, got deny")
                .contains("rule: expected vendors, got admission.default-deny")
                .contains("1 passed, 1 failed");
    }

    @Test
    void aPolicyThatDoesNotLoadIsUnusableInput() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), POLICY.replace("effect: allow", "effect: allow\n    bogus: 1"));
        Files.writeString(dir.resolve("p_test.yaml"), "tests: [{name: x, expect: {decision: allow}}]\n");
        TestReport r = PolicyTestRunner.run(dir);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.unusable().get(0)).contains("does not load").contains("p.yaml:5").contains("unknown key 'bogus'");
    }

    @Test
    void aMalformedTestCaseIsUnusableInputNamingItsLine() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), POLICY);
        Files.writeString(dir.resolve("p_test.yaml"), """
                tests:
                  - name: missing context
                    expect: {decision: allow}
                """);
        TestReport r = PolicyTestRunner.run(dir);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(String.join("\n", r.unusable())).contains("p_test.yaml:2").contains("'user' is required");
    }

    @Test
    void aDirectoryWithoutPoliciesIsUnusableInput() {
        assertThat(PolicyTestRunner.run(dir).exitCode()).isEqualTo(2);
        assertThat(PolicyTestRunner.run(dir.resolve("missing")).unusable().get(0)).contains("not a directory");
    }
}
