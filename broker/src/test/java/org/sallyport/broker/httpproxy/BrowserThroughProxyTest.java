package org.sallyport.broker.httpproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.sallyport.broker.cli.client.HttpTunnel;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.testing.HeadlessChromium;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.camera.CameraWebUi;
import org.sallyport.fixtures.camera.SimulatedCamera;

/**
 * Real headless chromium -> the CLI's local tunnel -> broker -> simulated camera web UI (digest): the vendor uses the
 * unmodified admin page (absolute paths, fetch, a WebSocket), changes a setting and uploads firmware; every way to an
 * image is blocked and nothing image-like reaches the browser.
 */
class BrowserThroughProxyTest {
    static final String TARGET = "cam-web-01";
    @TempDir Path dir;
    SimulatedCamera camera;
    CameraWebUi web;
    TestBroker b;
    HttpTunnel tunnel;
    HeadlessChromium chromium;
    String origin;

    @BeforeEach
    void start() {
        HeadlessChromium.require();
        camera = SimulatedCamera.builder().id(TARGET).port(0).hostKeyFile(dir.resolve("hk")).credentials("root", "cam-Pw-9").build();
        web = new CameraWebUi(camera, CameraWebUi.Auth.DIGEST);
        int port = web.start(0);
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", null, port, null, "root", TARGET + "/root",
                List.of("acme-optics"), List.of(), null);
        b = new TestBroker(dir.resolve("broker"), MutableClock.atSystemNow(), List.of(t), Map.of(TARGET + "/root", "cam-Pw-9")).start();
        String id = b.request("tech", TARGET, "30m");
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
        String ticket = b.post("tech", "/api/http-sessions", "{\"target\":\"" + TARGET + "\"}").json().get("ticket").asText();
        tunnel = new HttpTunnel(URI.create(b.url()), null, ticket, why -> {});
        origin = "http://127.0.0.1:" + tunnel.start(0);
        chromium = new HeadlessChromium(dir.resolve("chromium-profile"));
    }

    @AfterEach
    void stop() {
        if (chromium != null) chromium.close();
        if (tunnel != null) tunnel.close();
        if (b != null) b.close();
        if (web != null) web.close();
    }

    @Test
    void vendorChangesASettingAndUploadsFirmwareButGetsNoImage() {
        ChromeDriver d = chromium.driver();
        d.get(origin + "/");
        await().atMost(15, TimeUnit.SECONDS).until(() -> d.findElement(By.id("params")).getText().contains("root.focus.mode=auto"));
        await().atMost(15, TimeUnit.SECONDS).until(() -> d.findElement(By.id("events")).getText().contains("pong"));
        Object snapshotWidth = d.executeScript("return document.getElementById('snapshot').naturalWidth");
        assertThat(((Number) snapshotWidth).intValue()).as("the live-view <img> gets no image").isZero();

        d.findElement(By.id("focus")).clear();
        d.findElement(By.id("focus")).sendKeys("manual");
        d.findElement(By.id("save")).click();
        await().atMost(15, TimeUnit.SECONDS).until(() -> d.findElement(By.id("saved")).getText().contains("200 OK"));
        assertThat(camera.config("focus.mode")).isEqualTo("manual");

        d.findElement(By.id("upload")).click();
        await().atMost(15, TimeUnit.SECONDS).until(() -> d.findElement(By.id("fwresult")).getText().contains("200 OK: firmware accepted"));
        assertThat(web.firmwareUploads()).hasSize(1);

        for (String path : List.of("/axis-cgi/jpg/image.cgi", "/axis-cgi/mjpg/video.cgi", "/docs/notes.txt", "/axis-cgi/thumbnail.cgi",
                "/images/traveller-0001.png", "/axis-cgi/record/export.cgi", "/axis-cgi/admin/backup.cgi")) {
            d.get(origin + path);
            assertThat(d.getPageSource()).as(path).contains("blocked by Sallyport").contains("Rule:");
        }
        d.get(origin + "/");
        // Whatever the page fetches itself, no byte sequence of an image arrives.
        @SuppressWarnings("unchecked")
        List<Object> found = (List<Object>) d.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const paths = ['/axis-cgi/jpg/image.cgi', '/axis-cgi/mjpg/video.cgi', '/docs/notes.txt', '/axis-cgi/thumbnail.cgi',
                               '/images/traveller-0001.png', '/axis-cgi/record/export.cgi'];
                Promise.all(paths.map(p => fetch(p).then(r => r.arrayBuffer()).then(buf => {
                  const b = new Uint8Array(buf);
                  for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xFF && b[i+1] === 0xD8 && b[i+2] === 0xFF) return p + ': JPEG';
                  if (b.length > 3 && b[0] === 0x89 && b[1] === 0x50) return p + ': PNG';
                  return null;
                }).catch(e => null))).then(r => done(r.filter(x => x !== null)));
                """);
        assertThat(found).isEmpty();
    }
}
