package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    FakeBroker broker;
    Cli cli;

    @BeforeEach
    void start() throws Exception {
        broker = FakeBroker.start();
        cli = new Cli(tmp).loggedIn(broker.url(), Samples.TOKEN);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void requestSendsTheNewRequestWithTheBearerTokenAndSaysWhatItNeeds() throws Exception {
        broker.json("POST", "/api/requests", 201, Samples.PENDING);

        Cli.Result r = cli.run("request", "--target", "cam-anz-01", "--target", "cam-anz-02", "--duration", "45m",
                "--reason", "replace focus motor", "--ticket", "CHG-1234", "--start", "2025-06-01T14:00:00+02:00");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Request r-1 is PENDING (needs 2 approval(s))\n");
        FakeBroker.Exchange sent = broker.last();
        assertThat(sent.authorization()).isEqualTo("Bearer " + Samples.TOKEN);
        assertThat(sent.contentType()).isEqualTo("application/json");
        JsonNode body = JSON.readTree(sent.body());
        assertThat(body.path("targets")).hasSize(2);
        assertThat(body.path("targets").get(1).asText()).isEqualTo("cam-anz-02");
        assertThat(body.path("duration").asText()).isEqualTo("45m");
        assertThat(body.path("reason").asText()).isEqualTo("replace focus motor");
        assertThat(body.path("ticket").asText()).isEqualTo("CHG-1234");
        assertThat(body.path("start").asText()).isEqualTo("2025-06-01T12:00:00Z");
    }

    @Test
    void requestJsonPrintsTheServerObjectWithId() throws Exception {
        broker.json("POST", "/api/requests", 201, Samples.PENDING);

        Cli.Result r = cli.run("request", "-t", "cam-anz-01", "-d", "45m", "-r", "replace focus motor", "-k", "CHG-1234",
                "--output", "json");

        assertThat(r.exit()).isZero();
        JsonNode printed = JSON.readTree(r.out());
        assertThat(printed.path("id").asText()).isEqualTo("r-1");
        assertThat(printed).isEqualTo(JSON.readTree(Samples.PENDING));
    }

    @Test
    void invalidDurationProblemIsOneLineOnStderrWithExitTwo() {
        broker.problem("POST", "/api/requests", 400, "Invalid input", "duration: at most 4h (PT4H) by policy", "duration");

        Cli.Result r = cli.run("request", "-t", "cam-anz-01", "-d", "9h", "-r", "replace focus motor", "-k", "CHG-1234");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("error: duration: at most 4h (PT4H) by policy\n");
    }

    @Test
    void badStartIsRefusedBeforeCallingTheBroker() {
        Cli.Result r = cli.run("request", "-t", "cam-anz-01", "-d", "45m", "-r", "replace focus motor", "-k", "CHG-1234",
                "--start", "tomorrow");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: start: ");
        assertThat(broker.exchanges).isEmpty();
    }

    @Test
    void missingRequiredOptionIsPicocliUsageErrorWithExitTwo() {
        Cli.Result r = cli.run("request", "-d", "45m", "-r", "replace focus motor", "-k", "CHG-1234");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--target=TARGET'");
        assertThat(broker.exchanges).isEmpty();
    }

    @Test
    void serverErrorExitsOne() {
        broker.problem("GET", "/api/requests", 500, "Internal error", "internal error; reference 1234", null);

        Cli.Result r = cli.run("requests");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: internal error; reference 1234\n");
    }

    @Test
    void requestsPrintsATableAndPassesFilters() {
        broker.json("GET", "/api/requests", 200, "[" + Samples.PENDING + "]");

        Cli.Result r = cli.run("requests", "--state", "pending", "--limit", "5");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(broker.last().query()).isEqualTo("state=PENDING&limit=5");
        assertThat(r.out().lines().toList()).containsExactly(
                "ID   STATE    REQUESTER  TARGETS                START                 DURATION  TICKET",
                "r-1  PENDING  alice      cam-anz-01,cam-anz-02  2025-06-01T12:00:00Z  45m       CHG-1234");
    }

    @Test
    void requestsJsonIsTheServerArray() throws Exception {
        broker.json("GET", "/api/requests", 200, "[" + Samples.PENDING + "]");

        Cli.Result r = cli.run("requests", "-o", "json");

        JsonNode printed = JSON.readTree(r.out());
        assertThat(printed.isArray()).isTrue();
        assertThat(printed.get(0).path("id").asText()).isEqualTo("r-1");
        assertThat(printed.get(0).path("state").asText()).isEqualTo("PENDING");
        assertThat(printed).isEqualTo(JSON.readTree("[" + Samples.PENDING + "]"));
    }

    @Test
    void grantsPrintsATableOrTheServerArray() throws Exception {
        broker.json("GET", "/api/grants", 200, "[" + Samples.GRANT + "]");

        Cli.Result text = cli.run("grants");
        assertThat(text.out().lines().toList()).containsExactly(
                "ID   TARGET      USER   NOT BEFORE            NOT AFTER             STATUS",
                "g-1  cam-anz-01  alice  2025-06-01T12:00:00Z  2025-06-01T12:45:00Z  active");

        JsonNode json = JSON.readTree(cli.run("grants", "--output", "json").out());
        assertThat(json.get(0).path("id").asText()).isEqualTo("g-1");
        assertThat(json.get(0).path("status").asText()).isEqualTo("active");
    }

    @Test
    void approvePrintsTheStateAndTheGrants() throws Exception {
        broker.json("POST", "/api/requests/r-1/approve", 200, Samples.request("APPROVED",
                "{\"approver\":\"sam\",\"verdict\":\"APPROVE\",\"comment\":\"ok\",\"at\":\"2025-06-01T12:01:00Z\"}", Samples.GRANT));

        Cli.Result r = cli.run("approve", "r-1", "--comment", "ok");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("Request r-1 is APPROVED",
                "  grant g-1: cam-anz-01 for alice from 2025-06-01T12:00:00Z until 2025-06-01T12:45:00Z (active)");
        assertThat(JSON.readTree(broker.last().body()).path("comment").asText()).isEqualTo("ok");
    }

    @Test
    void firstOfTwoApprovalsLeavesItPending() {
        broker.json("POST", "/api/requests/r-1/approve", 200, Samples.request("PENDING",
                "{\"approver\":\"sam\",\"verdict\":\"APPROVE\",\"comment\":\"ok\",\"at\":\"2025-06-01T12:01:00Z\"}", ""));

        assertThat(cli.run("approve", "r-1", "-c", "ok").out()).isEqualTo("Request r-1 is PENDING (1 of 2 approval(s))\n");
    }

    @Test
    void denyCancelAndRevokePostToTheirActions() {
        broker.json("POST", "/api/requests/r-1/deny", 200, Samples.request("DENIED", "", ""))
                .json("POST", "/api/requests/r-1/cancel", 200, Samples.request("CANCELLED", "", ""))
                .json("POST", "/api/requests/r-1/revoke", 200, Samples.request("REVOKED", "", ""));

        assertThat(cli.run("deny", "r-1", "--comment", "not in the change window").out()).isEqualTo("Request r-1 is DENIED\n");
        assertThat(cli.run("cancel", "r-1").out()).isEqualTo("Request r-1 is CANCELLED\n");
        assertThat(broker.last().body()).isEmpty();
        assertThat(cli.run("revoke", "r-1", "-c", "camera misbehaving").out()).isEqualTo("Request r-1 is REVOKED\n");
    }

    @Test
    void conflictIsExitTwo() {
        broker.problem("POST", "/api/requests/r-1/approve", 409, "Conflict", "state: request is DENIED, not PENDING", "state");

        Cli.Result r = cli.run("approve", "r-1", "-c", "ok");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: state: request is DENIED, not PENDING\n");
    }

    @Test
    void requestIdIsEncodedAsOnePathSegment() {
        cli.run("cancel", "r/../../admin");

        assertThat(broker.last().path()).isEqualTo("/api/requests/r%2F..%2F..%2Fadmin/cancel");
    }

    @Test
    void tokenIsNeverSentToAnotherBrokerThanTheOneThatIssuedIt() throws Exception {
        try (FakeBroker other = FakeBroker.start()) {
            Cli.Result r = cli.run("grants", "--url", other.url());

            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("logged in to " + broker.url()).contains("sallyport login --url " + other.url());
            assertThat(other.exchanges).isEmpty();
        }
    }

    @Test
    void commandsWithoutSessionSayToLogIn() {
        cli.cliHome().clear();

        Cli.Result r = cli.run("requests");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: not logged in / token expired — run sallyport login\n");
    }
}
