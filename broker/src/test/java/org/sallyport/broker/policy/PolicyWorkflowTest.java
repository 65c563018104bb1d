package org.sallyport.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;

/** The workflow under a policy: admission, distinct approvers, limits, and hot reload, through the REST API. */
class PolicyWorkflowTest {
    @TempDir
    Path data;
    @TempDir
    Path policies;
    TestBroker b;

    /** cam-anz-01 carries the tag face-capture in TestBroker's targets. */
    private static final String TWO_APPROVERS = """
            admission:
              - id: contracted-vendors
                when: "'vendor-technician' in requester.groups"
                effect: allow
                reason: vendors maintain devices
            approvals:
              - id: one
                count: 1
                reason: one supervisor
              - id: face-capture-two
                when: "'face-capture' in target.tags"
                count: 2
                reason: face-capture cameras need two distinct supervisors
            limits:
              - id: one-hour
                maxDuration: 1h
                maxConcurrentPerTarget: 1
                reason: short windows, one at a time
            """;

    @AfterEach
    void stop() {
        if (b != null) b.close();
    }

    private TestBroker start(String policy) throws Exception {
        if (policy != null) Files.writeString(policies.resolve("policy.yaml"), policy);
        // a device kind the camera-maintenance policy does not cover
        var recorder = new TargetConfig("nvr-anz-09", "anzalduas", "video-recorder", "127.0.0.1", null, null, null, null,
                "nvr-anz-09/maint", List.of("acme-optics"), List.of(), null);
        b = new TestBroker(data, MutableClock.atSystemNow(), List.of(recorder), Map.of());
        if (policy != null) b.policyDir(policies);
        return b.start();
    }

    private List<String> auditActions() {
        List<String> out = new ArrayList<>();
        b.get("inspector", "/api/audit?limit=1000").json().forEach(e -> out.add(e.get("action").asText()));
        return out;
    }

    private JsonNode audit(String action) {
        JsonNode all = b.get("inspector", "/api/audit?action=" + action).json();
        assertThat(all).as("audit events " + action).isNotEmpty();
        return all.get(all.size() - 1);
    }

    @Test
    void theDefaultPolicyRefusesADeviceKindItDoesNotCoverNamingTheRule() throws Exception {
        start(null);
        var r = b.post("tech", "/api/requests", "{\"targets\":[\"nvr-anz-09\"],\"duration\":\"1h\",\"reason\":\"disk swap\",\"ticket\":\"INC-2\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).isEqualTo(
                "refused by policy rule 'admission.default-deny': no admission rule allows this request (target nvr-anz-09)");
        JsonNode ev = audit("request.create-refused");
        assertThat(ev.get("details").get("rule").asText()).isEqualTo("admission.default-deny");
        assertThat(ev.get("actor").asText()).isEqualTo("tech");

        String ok = b.request("tech", "cam-anz-01", "1h");
        assertThat(b.get("tech", "/api/requests/" + ok).json().get("decisionRule").asText()).isEqualTo("camera-maintenance");
    }

    @Test
    void twoApproversMeansTwoDistinctSupervisorsNeitherTheRequester() throws Exception {
        start(TWO_APPROVERS);
        var created = b.post("tech", "/api/requests",
                "{\"targets\":[\"cam-anz-01\"],\"duration\":\"45m\",\"reason\":\"focus drift\",\"ticket\":\"INC-1\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("approvalsRequired").asInt()).isEqualTo(2);
        assertThat(created.json().get("decisionRule").asText()).isEqualTo("contracted-vendors");
        assertThat(audit("request.created").get("details").get("approvalRule").asText()).isEqualTo("face-capture-two");

        assertThat(b.post("tech", "/api/requests/" + id + "/approve", "{\"comment\":\"me\"}").status()).isEqualTo(403);
        assertThat(b.post("supervisor-north", "/api/requests/" + id + "/approve", "{\"comment\":\"other site\"}").status()).isEqualTo(404);

        var first = b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("state").asText()).isEqualTo("PENDING");
        assertThat(b.get("tech", "/api/grants").json()).isEmpty();

        var again = b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok again\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(b.get("tech", "/api/requests/" + id).json().get("state").asText()).isEqualTo("PENDING");

        var second = b.post("supervisor2", "/api/requests/" + id + "/approve", "{\"comment\":\"second pair of eyes\"}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("state").asText()).isEqualTo("APPROVED");
        assertThat(b.get("tech", "/api/grants").json()).hasSize(1);
        assertThat(audit("request.approved").get("details").get("approvers").asText()).isEqualTo("supervisor,supervisor2");
    }

    @Test
    void limitsRefuseALongWindowAndASecondOverlappingWindowOnTheSameTarget() throws Exception {
        start(TWO_APPROVERS);
        var tooLong = b.post("tech", "/api/requests", "{\"targets\":[\"cam-north-01\"],\"duration\":\"2h\",\"reason\":\"focus drift\",\"ticket\":\"T\"}");
        assertThat(tooLong.status()).isEqualTo(403);
        assertThat(tooLong.json().get("detail").asText()).contains("'one-hour'").contains("2h is over the limit of 1h");

        b.request("tech", "cam-north-01", "1h");
        var overlap = b.post("tech2", "/api/requests", "{\"targets\":[\"cam-north-01\"],\"duration\":\"30m\",\"reason\":\"focus drift\",\"ticket\":\"T\"}");
        assertThat(overlap.status()).isEqualTo(403);
        assertThat(overlap.json().get("detail").asText()).contains("'one-hour'").contains("already has 1 open window");

        String later = Instant.now().plus(Duration.ofHours(3)).toString();
        var afterwards = b.post("tech2", "/api/requests", "{\"targets\":[\"cam-north-01\"],\"duration\":\"30m\",\"reason\":\"focus drift\",\"ticket\":\"T\",\"start\":\"" + later + "\"}");
        assertThat(afterwards.status()).isEqualTo(201);
    }

    @Test
    void aReloadedPolicyAppliesToTheNextRequestAndABrokenOneIsRefusedAndAudited() throws Exception {
        start(TWO_APPROVERS);
        assertThat(b.post("tech", "/api/requests", "{\"targets\":[\"cam-north-01\"],\"duration\":\"30m\",\"reason\":\"focus drift\",\"ticket\":\"T\"}").status())
                .isEqualTo(201);

        Files.writeString(policies.resolve("policy.yaml"), TWO_APPROVERS.replace("effect: allow", "effect: deny"));
        await().atMost(Duration.ofSeconds(20)).until(() -> auditActions().contains("policy.reloaded"));
        var refused = b.post("tech", "/api/requests", "{\"targets\":[\"cam-anz-01\"],\"duration\":\"30m\",\"reason\":\"focus drift\",\"ticket\":\"T\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("'contracted-vendors'");

        Files.writeString(policies.resolve("policy.yaml"), TWO_APPROVERS.replace("maxDuration: 1h", "maxDuration: 1h\n    maxConcurent: 3"));
        await().atMost(Duration.ofSeconds(20)).until(() -> auditActions().contains("policy.rejected"));
        String problems = audit("policy.rejected").get("details").get("problems").asText();
        assertThat(problems).contains("policy.yaml:17").contains("unknown key 'maxConcurent'");
        // the previous (deny-all) policy is still in force
        assertThat(b.post("tech", "/api/requests", "{\"targets\":[\"cam-anz-01\"],\"duration\":\"30m\",\"reason\":\"focus drift\",\"ticket\":\"T\"}").status())
                .isEqualTo(403);
        assertThat(b.get("inspector", "/api/audit/verify").json().get("ok").asBoolean()).isTrue();
    }
}
