package org.sallyport.broker.httpproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.camera.SimulatedCamera;
import org.sallyport.fixtures.nginx.NginxServer;

/** A real HTTP peer nobody here wrote (Debian's nginx, basic auth, gzip) as a second target behind the proxy. */
class NginxTargetTest {
    static final String TARGET = "cam-nginx-01";
    static final String PASSWORD = "nginx-Pw-51d0";
    @TempDir Path dir;
    NginxServer nginx;
    TestBroker b;
    byte[] jpeg;
    String ticket;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        NginxServer.require();
        SimulatedCamera cam = SimulatedCamera.builder().id("img-source").port(0).hostKeyFile(dir.resolve("hk")).credentials("x", "y").build();
        jpeg = cam.file(cam.images().get(0));
        nginx = new NginxServer("admin", PASSWORD, jpeg).start();
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", null, nginx.cameraPort(), null, "admin",
                TARGET + "/admin", List.of("acme-optics"), List.of(), null);
        b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/admin", PASSWORD)).start();
        String id = b.request("tech", TARGET, "30m");
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
        TestBroker.Response r = b.post("tech", "/api/http-sessions", "{\"target\":\"" + TARGET + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        ticket = r.json().get("ticket").asText();
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (nginx != null) nginx.close();
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(b.url() + path)).timeout(Duration.ofSeconds(20))
                .header(HttpProxyHandler.TICKET_HEADER, ticket).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void pagesScriptsAndJsonPassWithTheInjectedBasicCredential() throws Exception {
        assertThat(new String(get("/").body(), StandardCharsets.UTF_8)).contains("/js/app.js");
        assertThat(new String(get("/js/app.js").body(), StandardCharsets.UTF_8)).contains("fetch('/api/status.json')");
        HttpResponse<byte[]> status = get("/api/status.json");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(new String(status.body(), StandardCharsets.UTF_8)).contains("nginx-cam");
    }

    @ParameterizedTest(name = "{0} is blocked by {1}")
    @CsvSource({
            "/snapshot.jpg, camera.snapshot",
            "/video/live.mjpg, camera.mjpeg",
            "/docs/readme.txt, http.body-media",
            "/docs/thumb.txt, http.body-media"})
    void imagesFromNginxAreBlocked(String path, String rule) throws Exception {
        HttpResponse<byte[]> r = get(path);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue(HttpProxyHandler.RULE_HEADER)).contains(rule);
        assertThat(HttpProxyTest.containsJpeg(r.body())).isFalse();
    }

    @Test
    void theGzipCaseReallyIsGzipEncodedByNginx() throws Exception {
        HttpResponse<byte[]> direct = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.reverseProxyPort() + "/docs/thumb.txt"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(direct.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(HttpProxyTest.containsJpeg(direct.body())).as("gzip hides the JPEG's signature from a byte scan").isFalse();
    }
}
