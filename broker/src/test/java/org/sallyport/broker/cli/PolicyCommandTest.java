package org.sallyport.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        var cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void theShippedExamplesPass() {
        Run r = run("policy", "test", "../policy-rules/examples");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(" passed, 0 failed");
    }

    @Test
    void aFailingCaseExitsOneAndSaysWhatDiffered() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), "admission:\n  - {id: all, effect: allow, reason: everyone}\napprovals:\n  - {id: one, count: 1, reason: one}\n");
        Files.writeString(dir.resolve("p_test.yaml"), """
                tests:
                  - name: expects a refusal
                    requester: {user: u}
                    target: {id: t, site: s}
                    request: {start: "2026-12-01T10:00:00Z", duration: 1h}
                    expect: {decision: deny}
                """);
        Run r = run("policy", "test", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("FAIL").contains("expects a refusal").contains("decision: expected deny, got allow")
                .contains("0 passed, 1 failed");
    }

    @Test
    void aBrokenPolicyExitsTwoNamingFileAndLine() throws Exception {
        Files.writeString(dir.resolve("p.yaml"), "admission:\n  - id: all\n    effect: allow\n    reason: everyone\n    when: \"target.tags > 1\"\n");
        Run test = run("policy", "test", dir.toString());
        assertThat(test.exit()).isEqualTo(2);
        assertThat(test.err()).contains("p.yaml:5").contains("no matching overload");
        Run check = run("policy", "check", dir.toString());
        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.err()).contains("p.yaml:5");
    }

    @Test
    void checkReportsAValidPolicy() {
        Run r = run("policy", "check", "../policy-rules/examples/camera-maintenance");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("valid").contains("fingerprint");
    }
}
