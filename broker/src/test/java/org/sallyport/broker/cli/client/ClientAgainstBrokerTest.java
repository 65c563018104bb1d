package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/** The client against a real broker: the fake's canned answers must match what the server really says. */
class ClientAgainstBrokerTest {
    @TempDir
    Path tmp;

    TestBroker broker;

    @BeforeEach
    void start() {
        broker = new TestBroker(tmp.resolve("data"), MutableClock.atSystemNow()).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    Cli as(String user) {
        Cli cli = new Cli(tmp.resolve(user)).at(Instant.now());
        Cli.Result login = cli.stdin(TestBroker.PASSWORD + "\n").run("login", "--url", broker.url(), "--user", user, "--password-stdin");
        assertThat(login.exit()).as(login.toString()).isZero();
        return cli;
    }

    @Test
    void requestApproveListAndVerifyEndToEnd() throws Exception {
        Cli tech = as("tech");
        Cli.Result created = tech.run("request", "-t", "cam-anz-01", "-d", "45m", "-r", "replace focus motor", "-k", "CHG-1",
                "-o", "json");
        assertThat(created.exit()).as(created.toString()).isZero();
        JsonNode request = new ObjectMapper().readTree(created.out());
        String id = request.path("id").asText();
        assertThat(request.path("state").asText()).isEqualTo("PENDING");

        Cli supervisor = as("supervisor");
        Cli.Result pending = supervisor.run("requests", "--state", "PENDING");
        assertThat(pending.out()).as(pending.toString()).contains(id).contains("cam-anz-01").contains("45m");

        Cli.Result approved = supervisor.run("approve", id, "--comment", "go ahead");
        assertThat(approved.exit()).as(approved.toString()).isZero();
        assertThat(approved.out()).startsWith("Request " + id + " is APPROVED").contains("grant ").contains("cam-anz-01 for tech");

        Cli.Result grants = tech.run("grants");
        assertThat(grants.out()).as(grants.toString()).contains("cam-anz-01").contains("tech");

        Cli.Result verify = as("inspector").run("audit", "verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).startsWith("audit chain OK: ");

        Cli.Result notInspector = tech.run("audit", "verify");
        assertThat(notInspector.exit()).isEqualTo(2);
    }

    @Test
    void invalidDurationNamesTheField() {
        Cli.Result r = as("tech").run("request", "-t", "cam-anz-01", "-d", "soon", "-r", "replace focus motor", "-k", "CHG-1");

        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: duration: ");
        assertThat(r.err().lines()).hasSize(1);
    }
}
