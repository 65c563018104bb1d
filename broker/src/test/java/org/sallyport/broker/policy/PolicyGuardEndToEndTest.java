package org.sallyport.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.broker.testing.VendorSsh;
import org.sallyport.fixtures.camera.SimulatedCamera;
import org.sallyport.fixtures.services.RequiredService;

/**
 * Stock ssh -> broker -> simulated camera with the session guard built from a YAML policy directory: the
 * policy's channel rules decide what a session may run, refusals name the policy's rule, and a reloaded
 * policy applies to the next session.
 */
class PolicyGuardEndToEndTest {
    private static final String TARGET = "cam-pol-01";
    @TempDir
    Path dir;
    Path policies;
    SimulatedCamera camera;
    TestBroker b;
    VendorSsh tech;

    private static final String STATUS_ONLY = """
            admission:
              - id: vendors
                when: "'vendor-technician' in requester.groups"
                effect: allow
                reason: vendors maintain devices
            approvals:
              - {id: one, count: 1, reason: one supervisor}
            channels:
              - id: status-only
                when: "'restricted' in target.tags"
                exec: { allow: ['status'] }
                reason: restricted devices answer status only
              - id: everything-else
                shell: allow
                exec: allow
            """;

    @BeforeEach
    void start() throws Exception {
        RequiredService.require("OpenSSH client", VendorSsh.available(), "apt-get install openssh-client");
        camera = SimulatedCamera.builder().id(TARGET).hostKeyFile(dir.resolve("camera-hostkey")).credentials("maint", "pw").build();
        int port = camera.start();
        policies = Files.createDirectories(dir.resolve("policy"));
        Files.writeString(policies.resolve("site.yaml"), STATUS_ONLY);
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", port, null, camera.hostKeyOpenSsh(), "maint",
                TARGET + "/maint", List.of("acme-optics"), List.of("restricted"), null);
        b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/maint", "pw"))
                .policyDir(policies).start();
        tech = new VendorSsh(b, "tech", dir);
        assertThat(tech.certify().status()).isEqualTo(200);
        String id = b.request("tech", TARGET, "30m");
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (camera != null) camera.close();
    }

    private List<JsonNode> events(String action) {
        List<JsonNode> out = new ArrayList<>();
        b.get("inspector", "/api/audit?action=" + action + "&limit=1000").json().forEach(out::add);
        return out;
    }

    @Test
    void thePolicysChannelRulesDecideWhatASessionMayRunAndAReloadAppliesToTheNextSession() throws Exception {
        VendorSsh.Result status = tech.exec(TARGET, "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.text()).contains("device " + TARGET);

        VendorSsh.Result ls = tech.exec(TARGET, "ls /images");
        assertThat(ls.exit()).isNotZero();
        assertThat(ls.err()).contains("rule status-only.exec-other");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("session.channel-refused"))
                .anySatisfy(e -> assertThat(e.get("details").get("rule").asText()).isEqualTo("status-only.exec-other")));

        Files.writeString(policies.resolve("site.yaml"), STATUS_ONLY.replace("'restricted' in target.tags", "false"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !events("policy.reloaded").isEmpty());
        VendorSsh.Result again = tech.exec(TARGET, "ls /images");
        assertThat(again.exit()).as(again.err()).isZero();
    }
}
