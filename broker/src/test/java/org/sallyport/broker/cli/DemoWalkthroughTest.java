package org.sallyport.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.cli.client.CliEnvironment;

/**
 * README's five minutes, as a newcomer types them: start the demo, log in as tech, request a session on
 * cam-anz-01, log in as supervisor and approve it, see the grant, verify the audit chain online and,
 * after stopping the demo, offline.
 */
class DemoWalkthroughTest {
    private static final String PASSWORD = "demo-password-1";
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run as(String user, String stdin, String... args) {
        Map<String, String> env = Map.of("SALLYPORT_HOME", dir.resolve("home-" + user).toString(), "PATH", System.getenv("PATH"));
        CliEnvironment e = new CliEnvironment(env, dir, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null,
                Clock.systemUTC(), null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine(e);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void newcomerGoesFromRequestToApprovedGrantToVerifiedAudit() throws Exception {
        Path data = dir.resolve("sallyport-demo");
        String id;
        try (DemoCommand.Demo demo = DemoCommand.start(data, 0, 0, null, PASSWORD)) {
            String url = demo.url();
            Run login = as("tech", PASSWORD + "\n", "login", "--url", url, "--user", "tech", "--password-stdin");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(login.out()).contains("SSH certificate for tech valid until");
            Run request = as("tech", "", "request", "--target", "cam-anz-01", "--duration", "45m", "--reason", "focus drift",
                    "--ticket", "INC-1042", "--output", "json");
            assertThat(request.exit()).as(request.err()).isZero();
            id = new ObjectMapper().readTree(request.out()).get("id").asText();

            Run early = as("tech", "", "grants", "--output", "json");
            assertThat(new ObjectMapper().readTree(early.out())).isEmpty();

            assertThat(as("supervisor", PASSWORD + "\n", "login", "--url", url, "--user", "supervisor", "--password-stdin").exit()).isZero();
            Run pending = as("supervisor", "", "requests", "--state", "PENDING", "--output", "json");
            assertThat(pending.out()).contains(id);
            Run self = as("tech", "", "approve", id, "--comment", "me");
            assertThat(self.exit()).isEqualTo(2);
            Run approve = as("supervisor", "", "approve", id, "--comment", "ticket checked");
            assertThat(approve.exit()).as(approve.err()).isZero();
            assertThat(approve.out()).contains("APPROVED");

            JsonNode grants = new ObjectMapper().readTree(as("tech", "", "grants", "--output", "json").out());
            assertThat(grants).hasSize(1);
            assertThat(grants.get(0).get("targetId").asText()).isEqualTo("cam-anz-01");
            assertThat(grants.get(0).get("status").asText()).isEqualTo("active");

            assertThat(as("inspector", PASSWORD + "\n", "login", "--url", url, "--user", "inspector", "--password-stdin").exit()).isZero();
            Run verify = as("inspector", "", "audit", "verify");
            assertThat(verify.exit()).as(verify.err()).isZero();
            assertThat(verify.out()).contains("audit chain OK");
        }
        Run offline = as("inspector", "", "audit", "verify", "--data", data.toString());
        assertThat(offline.exit()).as(offline.err()).isZero();
        assertThat(offline.out()).contains("audit chain OK");
    }
}
