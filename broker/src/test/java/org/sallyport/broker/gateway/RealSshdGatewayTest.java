package org.sallyport.broker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.sallyport.fixtures.services.RequiredService;
import org.sallyport.fixtures.sshd.OpenSshServer;

/** Stock ssh -> broker -> a real OpenSSH sshd with a real shell, the broker logging in with a vaulted private key. */
class RealSshdGatewayTest {
    private static final String TARGET = "lpr-sshd-01";
    @TempDir
    Path dir;
    OpenSshServer sshd;
    TestBroker b;
    MemoryRecordings recordings = new MemoryRecordings();

    @BeforeEach
    void start() throws Exception {
        RequiredService.require("OpenSSH server and client", OpenSshServer.available() && VendorSsh.available(),
                "apt-get install openssh-server openssh-client");
        sshd = new OpenSshServer();
        int port = sshd.start();
        String key = Files.readString(sshd.clientKeyPath());
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "plate-reader", "127.0.0.1", port, null, sshd.hostKeyOpenSsh(), sshd.user(),
                TARGET + "/key", List.of("acme-optics"), List.of(), null);
        b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/key", key))
                .recorder(real -> recordings).start();
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (sshd != null) sshd.close();
    }

    @Test
    void execAndShellReachTheRealShellWithTheInjectedKey() throws Exception {
        VendorSsh tech = new VendorSsh(b, "tech", dir);
        assertThat(tech.certify().status()).isEqualTo(200);
        String id = b.request("tech", TARGET, "30m");
        b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}");

        VendorSsh.Result r = tech.exec(TARGET, "echo sallyport-$((6*7)); exit 3");
        assertThat(r.err()).doesNotContain("BEGIN OPENSSH");
        assertThat(r.text()).contains("sallyport-42");
        assertThat(r.exit()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> !recordings.opened.isEmpty() && recordings.opened.get(0).closed);
        assertThat(recordings.opened.get(0).output.toString()).contains("sallyport-42");
    }
}
