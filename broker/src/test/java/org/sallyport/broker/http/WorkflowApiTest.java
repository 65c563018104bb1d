package org.sallyport.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/** The whole workflow over real HTTP against a started broker. */
class WorkflowApiTest {
    @TempDir
    Path dir;
    TestBroker b;

    @BeforeEach
    void start() {
        b = new TestBroker(dir, MutableClock.atSystemNow()).start();
    }

    @AfterEach
    void stop() {
        b.close();
    }

    @Test
    void vendorRequestsSupervisorApprovesAndTheGrantIsActiveForTheWindow() {
        var created = b.post("tech", "/api/requests",
                "{\"targets\":[\"cam-anz-01\"],\"duration\":\"45m\",\"reason\":\"focus drift\",\"ticket\":\"INC-1\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode req = created.json();
        String id = req.get("id").asText();
        assertThat(req.get("state").asText()).isEqualTo("PENDING");
        assertThat(req.get("duration").asText()).isEqualTo("PT45M");
        assertThat(req.get("decisionRule").asText()).isNotBlank();

        JsonNode pending = b.get("supervisor", "/api/requests?state=PENDING").json();
        assertThat(ids(pending)).contains(id);

        var approved = b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ticket checked\"}");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().get("state").asText()).isEqualTo("APPROVED");
        JsonNode grant = approved.json().get("grants").get(0);
        assertThat(grant.get("targetId").asText()).isEqualTo("cam-anz-01");
        assertThat(grant.get("status").asText()).isEqualTo("active");
        assertThat(Duration.between(java.time.Instant.parse(grant.get("notBefore").asText()),
                java.time.Instant.parse(grant.get("notAfter").asText()))).isEqualTo(Duration.ofMinutes(45));

        JsonNode grants = b.get("tech", "/api/grants").json();
        assertThat(grants).hasSize(1);
        assertThat(grants.get(0).get("status").asText()).isEqualTo("active");

        JsonNode verify = b.get("inspector", "/api/audit/verify").json();
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
        List<String> actions = new ArrayList<>();
        b.get("inspector", "/api/audit?objectId=" + id).json().forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).containsExactly("request.created", "request.decision-recorded", "request.approved");
    }

    @Test
    void theGrantExpiresWhenTheWindowCloses() {
        String id = b.request("tech", "cam-anz-01", "30m");
        b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}");
        b.clock.advance(Duration.ofMinutes(31));
        assertThat(b.get("tech", "/api/grants").json().get(0).get("status").asText()).isEqualTo("expired");
        b.broker().workflow().expireDue();
        assertThat(b.get("tech", "/api/requests/" + id).json().get("state").asText()).isEqualTo("EXPIRED");
    }

    @Test
    void aTargetNeedingTwoApprovalsNeedsTwoDistinctSupervisors() {
        String id = b.request("tech", "lpr-anz-02", "1h");
        var first = b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"one\"}");
        assertThat(first.json().get("state").asText()).isEqualTo("PENDING");
        assertThat(first.json().get("grants")).isEmpty();

        var again = b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"me again\"}");
        assertThat(again.status()).isEqualTo(409);

        var second = b.post("supervisor2", "/api/requests/" + id + "/approve", "{\"comment\":\"two\"}");
        assertThat(second.json().get("state").asText()).isEqualTo("APPROVED");
        assertThat(second.json().get("approvals")).hasSize(2);
    }

    @Test
    void denyCancelAndRevokeEndTheRequestAndItsGrants() {
        String denied = b.request("tech", "cam-anz-01", "1h");
        assertThat(b.post("supervisor", "/api/requests/" + denied + "/deny", "{\"comment\":\"no ticket\"}").json()
                .get("state").asText()).isEqualTo("DENIED");

        String cancelled = b.request("tech", "cam-anz-01", "1h");
        assertThat(b.post("tech", "/api/requests/" + cancelled + "/cancel", null).json().get("state").asText()).isEqualTo("CANCELLED");

        String revoked = b.request("tech", "cam-anz-01", "1h");
        b.post("supervisor", "/api/requests/" + revoked + "/approve", "{\"comment\":\"ok\"}");
        var r = b.post("supervisor2", "/api/requests/" + revoked + "/revoke", "{\"comment\":\"suspicious\"}");
        assertThat(r.json().get("state").asText()).isEqualTo("REVOKED");
        assertThat(r.json().get("grants").get(0).get("status").asText()).isEqualTo("revoked");

        assertThat(b.post("supervisor", "/api/requests/" + denied + "/approve", "{\"comment\":\"late\"}").status()).isEqualTo(409);
    }

    @Test
    void listingsShowOnlyWhatTheCallerMaySee() {
        String acme = b.request("tech", "cam-anz-01", "1h");
        String north = b.request("tech2", "cam-north-01", "1h");
        assertThat(ids(b.get("tech", "/api/requests").json())).contains(acme).doesNotContain(north);
        assertThat(ids(b.get("tech-b", "/api/requests").json())).contains(acme).doesNotContain(north);
        assertThat(ids(b.get("tech2", "/api/requests").json())).contains(north).doesNotContain(acme);
        assertThat(ids(b.get("supervisor", "/api/requests").json())).contains(acme).doesNotContain(north);
        assertThat(ids(b.get("supervisor-north", "/api/requests").json())).contains(north).doesNotContain(acme);
        assertThat(ids(b.get("inspector", "/api/requests").json())).contains(acme, north);
        assertThat(b.get("tech2", "/api/requests/" + acme).status()).isEqualTo(404);
        assertThat(ids(b.get("tech2", "/api/targets").json())).containsExactly("cam-north-01");
    }

    @Test
    void targetsNeverShowTheDeviceCredential() {
        var body = b.get("admin", "/api/targets").body();
        assertThat(body).contains("cam-anz-01").doesNotContain("secret-of-").doesNotContain("credential");
    }

    @Test
    void metricsAndHealthAreServed() {
        b.request("tech", "cam-anz-01", "1h");
        var metrics = b.get(null, "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("sallyport_requests_total").contains("vertx_http_server");
        assertThat(b.get(null, "/health/ready").status()).isEqualTo(200);
        assertThat(b.get(null, "/health/live").status()).isEqualTo(200);
        assertThat(b.get(null, "/api/openapi.yaml").body()).startsWith("openapi: 3.1.0");
    }

    @Test
    void openApiDocumentParsesAndDocumentsEveryEndpoint() throws Exception {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        JsonNode doc = yaml.readTree(b.get(null, "/api/openapi.yaml").body());
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/auth/login", "/api/me", "/api/targets", "/api/requests", "/api/requests/{id}",
                "/api/requests/{id}/approve", "/api/requests/{id}/deny", "/api/requests/{id}/cancel", "/api/requests/{id}/revoke",
                "/api/grants", "/api/audit", "/api/audit/verify", "/api/ssh/certificate", "/api/sessions",
                "/api/sessions/{id}/terminate", "/health/live", "/health/ready", "/metrics");
    }

    static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }
}
