package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
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
 * Real peers end to end: sallyport login gets a certificate from a real broker, and sallyport connect runs the stock
 * OpenSSH client through the real gateway to a simulated camera. The stand-ins: a wrapper around /usr/bin/ssh that adds
 * BatchMode and keeps ssh's output in files (connect hands ssh this JVM's own stdin/stdout). The recorder is the real one.
 */
class ConnectThroughGatewayTest {
    private static final String TARGET = "cam-cli-01";

    @TempDir
    Path tmp;

    SimulatedCamera camera;
    TestBroker broker;

    @BeforeEach
    void start() {
        RequiredService.require("OpenSSH client", VendorSsh.available(), "apt-get install openssh-client");
        camera = SimulatedCamera.builder().id(TARGET).hostKeyFile(tmp.resolve("camera-hostkey")).credentials("maint", "device-secret").build();
        int port = camera.start();
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", port, null, camera.hostKeyOpenSsh(),
                "maint", TARGET + "/maint", List.of("acme-optics"), List.of(), null);
        broker = new TestBroker(tmp.resolve("data"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/maint", "device-secret"))
.start();
    }

    @AfterEach
    void stop() {
        if (broker != null) broker.close();
        if (camera != null) camera.close();
    }

    @Test
    void loginThenConnectRunsACommandOnTheDeviceWithTheStockClient() throws Exception {
        Cli tech = new Cli(tmp.resolve("tech")).at(Instant.now());
        Cli.Result login = tech.stdin(TestBroker.PASSWORD + "\n").run("login", "--url", broker.url(), "-u", "tech", "--password-stdin");
        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(login.out()).contains("SSH certificate for tech valid until ");

        Cli.Result config = tech.run("ssh-config");
        assertThat(config.out()).as(config.toString()).contains("Host " + TARGET + "\n").contains("  User tech+" + TARGET + "\n");

        Path out = tmp.resolve("ssh.out");
        Path err = tmp.resolve("ssh.err");
        Path wrapper = tmp.resolve("ssh-batch");
        Files.writeString(wrapper, "#!/bin/sh\nexec /usr/bin/ssh -F /dev/null -o BatchMode=yes -o LogLevel=ERROR \"$@\" </dev/null >'"
                + out + "' 2>'" + err + "'\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));

        Cli.Result refused = tech.env(ConnectCommand.ENV_SSH, wrapper.toString()).run("connect", TARGET, "--", "status");
        assertThat(refused.exit()).isNotZero();
        assertThat(Files.readString(err)).contains("no approved session for tech on " + TARGET);

        String id = broker.request("tech", TARGET, "30m");
        assertThat(broker.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);

        Cli.Result connect = tech.env(ConnectCommand.ENV_SSH, wrapper.toString()).run("connect", TARGET, "--", "status");

        assertThat(connect.exit()).as(connect + "\n--- ssh stderr\n" + Files.readString(err)).isZero();
        assertThat(Files.readString(out)).contains("device " + TARGET);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> broker.get("supervisor", "/api/sessions").json().path(0).hasNonNull("recordingHead"));
        String recording = broker.get("supervisor", "/api/sessions").json().get(0).get("recordingId").asText();
        Path file = org.sallyport.broker.gateway.SessionRecordings.file(org.sallyport.broker.server.Broker.recordingsDir(broker.dataDir), recording);
        assertThat(org.sallyport.broker.cli.Main.commandLine().execute("recording", "verify", file.toString()))
                .as("sallyport recording verify " + file).isZero();
    }
}
