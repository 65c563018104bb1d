package org.sallyport.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/**
 * Every endpoint x every role, cross-org and cross-site, self-approval. Each row runs against a fresh
 * PENDING request by {@code tech} (acme-optics) on cam-anz-01 (site anzalduas); "approved" rows first
 * get it approved by {@code supervisor2}.
 */
class AuthorizationMatrixTest {
    @TempDir
    static Path dir;
    static TestBroker b;

    @BeforeAll
    static void start() {
        b = new TestBroker(dir, MutableClock.atSystemNow()).start();
    }

    @AfterAll
    static void stop() {
        b.close();
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @CsvSource({
            // create a request on cam-anz-01
            "create, tech, 201", "create, tech-b, 201", "create, tech2, 403", "create, supervisor, 403",
            "create, inspector, 403", "create, admin, 403", "create, -, 401",
            // read the request
            "get, tech, 200", "get, tech-b, 200", "get, tech2, 404", "get, supervisor, 200", "get, supervisor-north, 404",
            "get, inspector, 200", "get, admin, 200", "get, -, 401",
            // approve it
            "approve, tech, 403", "approve, tech-b, 403", "approve, tech2, 404", "approve, supervisor, 200",
            "approve, supervisor-north, 404", "approve, inspector, 403", "approve, admin, 403", "approve, -, 401",
            // deny it
            "deny, tech, 403", "deny, tech2, 404", "deny, supervisor, 200", "deny, supervisor-north, 404",
            "deny, inspector, 403", "deny, admin, 403",
            // cancel it
            "cancel, tech, 200", "cancel, tech-b, 403", "cancel, tech2, 404", "cancel, supervisor, 403",
            "cancel, inspector, 403", "cancel, admin, 403", "cancel, -, 401",
            // revoke it once approved
            "revoke-approved, tech, 403", "revoke-approved, tech2, 404", "revoke-approved, supervisor, 200",
            "revoke-approved, supervisor-north, 404", "revoke-approved, inspector, 403", "revoke-approved, admin, 200",
            // listings and audit
            "list, tech, 200", "list, inspector, 200", "list, -, 401",
            "grants, tech, 200", "grants, supervisor, 200", "grants, -, 401",
            "audit, tech, 403", "audit, supervisor, 403", "audit, inspector, 200", "audit, admin, 200", "audit, -, 401",
            "verify, tech, 403", "verify, supervisor, 403", "verify, inspector, 200", "verify, admin, 200",
            "me, tech, 200", "me, -, 401", "targets, tech2, 200", "targets, -, 401",
    })
    void endpointAnswersRoleAsExpected(String action, String user, int expected) {
        String id = b.request("tech", "cam-anz-01", "1h");
        if (action.equals("revoke-approved")) {
            assertThat(b.post("supervisor2", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
        }
        String u = user.equals("-") ? null : user;
        String comment = "{\"comment\":\"matrix\"}";
        TestBroker.Response r = switch (action) {
            case "create" -> b.post(u, "/api/requests",
                    "{\"targets\":[\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\"matrix row\",\"ticket\":\"INC-9\"}");
            case "get" -> b.get(u, "/api/requests/" + id);
            case "approve" -> b.post(u, "/api/requests/" + id + "/approve", comment);
            case "deny" -> b.post(u, "/api/requests/" + id + "/deny", comment);
            case "cancel" -> b.post(u, "/api/requests/" + id + "/cancel", null);
            case "revoke-approved" -> b.post(u, "/api/requests/" + id + "/revoke", comment);
            case "list" -> b.get(u, "/api/requests");
            case "grants" -> b.get(u, "/api/grants");
            case "audit" -> b.get(u, "/api/audit");
            case "verify" -> b.get(u, "/api/audit/verify");
            case "me" -> b.get(u, "/api/me");
            case "targets" -> b.get(u, "/api/targets");
            default -> throw new IllegalArgumentException(action);
        };
        assertThat(r.status()).as(r.body()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).isNotBlank();
        }
    }

    @Test
    void refusalsThatMatterAreAuditedWithTheirReason() {
        String id = b.request("tech", "cam-anz-01", "1h");
        b.post("tech", "/api/requests/" + id + "/approve", "{\"comment\":\"approving myself\"}");
        b.post("tech2", "/api/requests", "{\"targets\":[\"cam-anz-01\"],\"duration\":\"1h\",\"reason\":\"not mine\",\"ticket\":\"X-1\"}");
        var events = b.get("inspector", "/api/audit?action=request.approve-refused&objectId=" + id).json();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("actor").asText()).isEqualTo("tech");
        assertThat(events.get(0).get("details").get("reason").asText()).contains("own request");
        var crossOrg = b.get("inspector", "/api/audit?action=request.create-refused&actor=tech2").json();
        assertThat(crossOrg).isNotEmpty();
        assertThat(crossOrg.get(0).get("details").get("reason").asText()).contains("not contracted");
    }
}
