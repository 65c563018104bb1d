package org.sallyport.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

/** Stock OpenSSH client -> broker -> simulated camera, with the credential injected and the window enforced. */
class GatewayTest {
    private static final String TARGET = "cam-gw-01";
    private static final String DEVICE_PASSWORD = "device-only-secret";
    @TempDir
    Path dir;
    SimulatedCamera camera;
    TestBroker b;
    MemoryRecordings recordings;
    VendorSsh tech;
    java.util.function.Supplier<org.sallyport.policy.guard.GuardRules> guardRules = org.sallyport.policy.guard.GuardRules::defaults;

    @BeforeEach
    void start() throws Exception {
        RequiredService.require("OpenSSH client", VendorSsh.available(), "apt-get install openssh-client");
        camera = SimulatedCamera.builder().id(TARGET).hostKeyFile(dir.resolve("camera-hostkey")).credentials("maint", DEVICE_PASSWORD).build();
        int port = camera.start();
        startBroker(MutableClock.atSystemNow(), camera.hostKeyOpenSsh(), port);
    }

    private void startBroker(MutableClock clock, String pinnedHostKey, int port) throws Exception {
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", port, null, pinnedHostKey, "maint",
                TARGET + "/maint", List.of("acme-optics"), List.of(), null);
        recordings = new MemoryRecordings();
        b = new TestBroker(dir.resolve("broker"), clock, List.of(t), Map.of(TARGET + "/maint", DEVICE_PASSWORD))
                .recorder(real -> recordings).guardRules(guardRules).start();
        tech = new VendorSsh(b, "tech", dir);
        assertThat(tech.certify().status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (camera != null) camera.close();
    }

    private String approvedRequest(String duration) {
        String id = b.request("tech", TARGET, duration);
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
        return id;
    }

    /** An interactive shell (ssh -tt) whose output collects in {@code out}; returns once the prompt shows. */
    private Process openShell(ByteArrayOutputStream out) throws java.io.IOException {
        Process p = tech.start(TARGET, true);
        Thread.ofVirtual().start(() -> VendorSsh.copy(p.getInputStream(), out));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains(TARGET + "$ "));
        return p;
    }

    private List<String> actions(String objectType) {
        List<String> out = new ArrayList<>();
        b.get("inspector", "/api/audit?limit=5000").json().forEach(e -> {
            if (objectType == null || objectType.equals(e.get("objectType").asText())) out.add(e.get("action").asText());
        });
        return out;
    }

    @Test
    void connectionIsRefusedBeforeApprovalAndWorksAfter() {
        VendorSsh.Result before = tech.exec(TARGET, "status");
        assertThat(before.exit()).isNotZero();
        assertThat(before.err()).contains("no approved session for tech on " + TARGET);
        assertThat(actions(null)).contains("session.refused");

        approvedRequest("30m");
        VendorSsh.Result after = tech.exec(TARGET, "status");
        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(after.text()).contains("device " + TARGET).contains("firmware AXC-");
        assertThat(after.text() + after.err()).doesNotContain(DEVICE_PASSWORD);

        await().atMost(Duration.ofSeconds(10)).until(() -> actions("session").contains("session.ended"));
        JsonNode s = b.get("supervisor", "/api/sessions").json().get(0);
        assertThat(s.get("endReason").asText()).isEqualTo("completed");
        assertThat(s.get("bytesOut").asLong()).isEqualTo(after.out().length);
        assertThat(s.get("recordingId").asText()).isNotBlank();
        assertThat(s.get("recordingHead").asText()).hasSize(64);
        assertThat(b.get("inspector", "/api/audit/verify").json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void everyByteBothWaysIsRecorded() {
        approvedRequest("30m");
        VendorSsh.Result r = tech.exec(TARGET, "cat /var/log/messages");
        assertThat(r.exit()).isZero();
        assertThat(r.out().length).isGreaterThan(1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> recordings.opened.get(0).closed);
        assertThat(recordings.opened.get(0).output.toByteArray()).isEqualTo(r.out());
    }

    @Test
    void anImageIsRecordedButEndsTheSessionBeforeItReachesTheVendor() throws Exception {
        // Only the output detectors: the command-line rules would refuse "cat x.jpg" before any byte flows.
        b.close();
        var d = org.sallyport.policy.guard.GuardRules.defaults();
        guardRules = () -> new org.sallyport.policy.guard.GuardRules(d.channels(), List.of(), d.output());
        for (String f : List.of("tech-id", "tech-id.pub", "tech-id-cert.pub")) java.nio.file.Files.deleteIfExists(dir.resolve(f));
        startBroker(MutableClock.atSystemNow(), camera.hostKeyOpenSsh(), camera.port());
        approvedRequest("30m");
        String image = camera.images().get(0);
        VendorSsh.Result r = tech.exec(TARGET, "cat " + image);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("session ended by policy").contains("rule default.output.binary");
        assertThat(r.out()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> recordings.opened.get(0).closed);
        assertThat(recordings.opened.get(0).output.toByteArray()).isEqualTo(camera.file(image));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode e = b.get("inspector", "/api/audit?action=session.guard-terminate").json().get(0);
            assertThat(e.get("details").get("rule").asText()).isEqualTo("default.output.binary");
            assertThat(e.get("details").get("match").asText()).isEqualTo("image.jpeg");
            assertThat(e.get("details").get("matchOffset").asText()).isEqualTo("3");
        });
    }

    @Test
    void noSessionRunsWhenTheRecorderCannotOpen() {
        approvedRequest("30m");
        recordings.failOpen.set(true);
        VendorSsh.Result r = tech.exec(TARGET, "status");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("recorder is unavailable");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aRecorderFailureMidSessionEndsItBeforeTheBytesReachTheVendor() throws Exception {
        approvedRequest("30m");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process p = openShell(out);
        recordings.failAppend.set(true);
        p.getOutputStream().write("cat /firmware/VERSION\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> !p.isAlive());
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("AXC-");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(b.get("supervisor", "/api/sessions").json().get(0).get("endReason").asText()).isEqualTo("recorder-failure"));
    }

    @Test
    void exitStatusOfTheDeviceCommandReachesTheVendor() {
        approvedRequest("30m");
        assertThat(tech.exec(TARGET, "no-such-command").exit()).isEqualTo(127);
    }

    @Test
    void anotherVendorsCertificateCannotUseTheGrant() {
        approvedRequest("30m");
        VendorSsh tech2 = new VendorSsh(b, "tech2", dir);
        try {
            assertThat(tech2.certify().status()).isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        VendorSsh.Result r = tech2.exec(TARGET, "status");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("no approved session for tech2");
    }

    @Test
    void sftpAndPortForwardingAreRefusedAndAudited() throws Exception {
        approvedRequest("30m");
        List<String> sftp = new ArrayList<>(tech.command(TARGET, false));
        sftp.add(sftp.size() - 1, "-s");
        sftp.add("sftp");
        Process p = new ProcessBuilder(sftp).start();
        p.getOutputStream().close();
        assertThat(p.waitFor()).isNotZero();

        List<String> fwd = new ArrayList<>(tech.command(TARGET, false, "status"));
        fwd.addAll(1, List.of("-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:554"));
        Process f = new ProcessBuilder(fwd).redirectErrorStream(true).start();
        f.getOutputStream().close();
        String out = new String(f.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(f.waitFor()).as(out).isNotZero();
        assertThat(out).contains("remote port forwarding failed");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var refused = b.get("inspector", "/api/audit?action=session.channel-refused").json();
            List<String> kinds = new ArrayList<>();
            refused.forEach(e -> kinds.add(e.get("details").get("kind").asText()));
            assertThat(kinds).as(out).contains("port-forward");
        });
    }

    @Test
    void supervisorTerminatesALiveSessionWithinASecond() throws Exception {
        approvedRequest("30m");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process p = openShell(out);
        JsonNode live = b.get("supervisor", "/api/sessions?live=true").json();
        assertThat(live).hasSize(1);
        String id = live.get(0).get("id").asText();

        assertThat(b.post("tech", "/api/sessions/" + id + "/terminate", null).status()).isIn(403, 404);
        assertThat(b.post("supervisor", "/api/sessions/" + id + "/terminate", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).until(() -> !p.isAlive());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("terminated by a supervisor");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(b.get("supervisor", "/api/sessions").json().get(0).get("endReason").asText()).isEqualTo("terminated-by-supervisor"));
    }

    @Test
    void supervisorWatchesTheTerminalLiveAndTheViewingIsAudited() throws Exception {
        approvedRequest("30m");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process p = openShell(out);
        String id = b.get("supervisor", "/api/sessions?live=true").json().get(0).get("id").asText();
        StringBuilder seen = new StringBuilder();
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                synchronized (seen) {
                    seen.append(StandardCharsets.UTF_8.decode(data));
                }
                ws.request(1);
                return null;
            }
        };
        String wsUrl = b.url().replace("http://", "ws://") + "/api/sessions/" + id + "/live";
        var http = java.net.http.HttpClient.newHttpClient();
        assertThat(http.newWebSocketBuilder().header("Authorization", "Bearer " + b.token("tech2"))
                .buildAsync(java.net.URI.create(wsUrl), listener).handle((ws, e) -> e != null).get()).as("other org refused").isTrue();
        var ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + b.token("supervisor"))
                .buildAsync(java.net.URI.create(wsUrl), listener).get(10, java.util.concurrent.TimeUnit.SECONDS);
        p.getOutputStream().write("status\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (seen) {
                return seen.toString().contains("firmware AXC-");
            }
        });
        ws.abort();
        p.destroy();
        assertThat(actions("session")).contains("session.live-view-started", "session.live-view-refused");
    }

    @Test
    void windowEndWarnsThenEndsTheSession() throws Exception {
        b.close();
        MutableClock clock = MutableClock.atSystemNow();
        startBroker(clock, camera.hostKeyOpenSsh(), camera.port());
        approvedRequest("10m");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process p = openShell(out);

        clock.advance(Duration.ofMinutes(6));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.toString(StandardCharsets.UTF_8).contains("ends in 5 minutes"));
        clock.advance(Duration.ofMinutes(3).plusSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.toString(StandardCharsets.UTF_8).contains("ends in 1 minute"));
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !p.isAlive());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("window ended");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(b.get("supervisor", "/api/sessions").json().get(0).get("endReason").asText()).isEqualTo("expired"));
    }

    @Test
    void revocationEndsTheLiveSession() throws Exception {
        String request = approvedRequest("30m");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Process p = openShell(out);
        b.post("supervisor", "/api/requests/" + request + "/revoke", "{\"comment\":\"stop\"}");
        await().atMost(Duration.ofSeconds(2)).until(() -> !p.isAlive());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(b.get("supervisor", "/api/sessions").json().get(0).get("endReason").asText()).isEqualTo("revoked"));
    }

    @Test
    void deviceWithAnotherHostKeyIsRefusedAndAudited() throws Exception {
        b.close();
        SimulatedCamera impostorKeySource = SimulatedCamera.builder().id("other").hostKeyFile(dir.resolve("other-key"))
                .credentials("x", "y").build();
        impostorKeySource.start();
        String otherKey = impostorKeySource.hostKeyOpenSsh();
        impostorKeySource.close();
        startBroker(MutableClock.atSystemNow(), otherKey, camera.port());
        approvedRequest("30m");
        VendorSsh.Result r = tech.exec(TARGET, "status");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("pinned host key");
        assertThat(actions(null)).contains("device.host-key-mismatch");
    }

    @Test
    void onlyVendorsGetCertificatesAndBadKeysAreNamed() {
        assertThat(b.post("supervisor", "/api/ssh/certificate", "{\"publicKey\":\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\"}")
                .status()).isEqualTo(403);
        var bad = b.post("tech", "/api/ssh/certificate", "{\"publicKey\":\"ssh-rsa AAAAnotakey\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("publicKey");
    }
}
