package org.sallyport.broker.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.camera.CameraWebUi;
import org.sallyport.fixtures.camera.SimulatedCamera;

/** {@code sallyport connect TARGET --http}: the vendor's listener serves the camera UI until the session ends. */
class ConnectHttpTest {
    static final String TARGET = "cam-web-01";
    @TempDir Path tmp;
    CameraWebUi web;
    TestBroker broker;

    @BeforeEach
    void start() {
        SimulatedCamera camera = SimulatedCamera.builder().id(TARGET).port(0).hostKeyFile(tmp.resolve("hk")).credentials("root", "pw-cam-1").build();
        web = new CameraWebUi(camera, CameraWebUi.Auth.BASIC);
        int port = web.start(0);
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", null, port, null, "root", TARGET + "/root",
                List.of("acme-optics"), List.of(), null);
        broker = new TestBroker(tmp.resolve("data"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/root", "pw-cam-1")).start();
    }

    @AfterEach
    void stop() {
        if (broker != null) broker.close();
        if (web != null) web.close();
    }

    @Test
    void refusedWithoutAGrantThenServesTheUiUntilTheSupervisorTerminates() throws Exception {
        Cli tech = new Cli(tmp.resolve("tech")).at(Instant.now());
        assertThat(tech.stdin(TestBroker.PASSWORD + "\n").run("login", "--url", broker.url(), "-u", "tech", "--password-stdin").exit()).isZero();
        Cli.Result refused = tech.run("connect", TARGET, "--http");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("no approved session for tech on " + TARGET);

        String id = broker.request("tech", TARGET, "30m");
        assertThat(broker.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int p = port;
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> tech.run("connect", TARGET, "--http", "--port", Integer.toString(p)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest page = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/axis-cgi/param.cgi?action=list")).build();
        await().atMost(20, TimeUnit.SECONDS).ignoreExceptions()
                .until(() -> http.send(page, HttpResponse.BodyHandlers.ofString()).body().contains("root.focus.mode="));
        HttpResponse<String> snap = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/axis-cgi/jpg/image.cgi")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(snap.statusCode()).isEqualTo(403);
        String sessionId = broker.get("supervisor", "/api/sessions?live=true").json().get(0).get("id").asText();
        assertThat(broker.post("supervisor", "/api/sessions/" + sessionId + "/terminate", "{}").status()).isEqualTo(200);
        assertThat(http.send(page, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        Cli.Result done = run.get(20, TimeUnit.SECONDS);
        assertThat(done.exit()).as(done.toString()).isZero();
        assertThat(done.out()).contains("Open http://127.0.0.1:" + port + "/", "session ended.");
    }
}
