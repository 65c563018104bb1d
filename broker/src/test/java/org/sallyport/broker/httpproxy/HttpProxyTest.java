package org.sallyport.broker.httpproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sallyport.broker.config.TargetConfig;
import org.sallyport.broker.server.Broker;
import org.sallyport.broker.testing.MutableClock;
import org.sallyport.broker.testing.TestBroker;
import org.sallyport.fixtures.camera.CameraWebUi;
import org.sallyport.fixtures.camera.SimulatedCamera;
import org.sallyport.recorder.crypto.KeyFiles;
import org.sallyport.recorder.crypto.VerifyingKey;
import org.sallyport.recorder.recording.FileRecordingSource;
import org.sallyport.recorder.recording.RecordingReader;
import org.sallyport.recorder.recording.RecordingVerifier;
import org.sallyport.recorder.recording.VerificationResult;

/** A browser's requests (here the JDK client with the tunnel's ticket header) -> broker -> simulated camera web UI. */
class HttpProxyTest {
    static final String TARGET = "cam-web-01";
    static final String DEVICE_PASSWORD = "cam-Pw-7c1e9a";
    @TempDir Path dir;
    SimulatedCamera camera;
    CameraWebUi web;
    TestBroker b;
    MutableClock clock;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // as a browser on plain http

    @BeforeEach
    void start() {
        camera = SimulatedCamera.builder().id(TARGET).port(0).hostKeyFile(dir.resolve("hk")).credentials("root", DEVICE_PASSWORD).build();
        web = new CameraWebUi(camera, CameraWebUi.Auth.DIGEST);
        int port = web.start(0);
        clock = MutableClock.atSystemNow();
        TargetConfig t = new TargetConfig(TARGET, "anzalduas", "ip-camera", "127.0.0.1", null, port, null, "root", TARGET + "/root",
                List.of("acme-optics"), List.of("face-capture"), null);
        b = new TestBroker(dir.resolve("broker"), clock, List.of(t), Map.of(TARGET + "/root", DEVICE_PASSWORD)).start();
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (web != null) web.close();
    }

    String approvedRequest(String user) {
        String id = b.request(user, TARGET, "30m");
        assertThat(b.post("supervisor", "/api/requests/" + id + "/approve", "{\"comment\":\"ok\"}").status()).isEqualTo(200);
        return id;
    }

    JsonNode openSession(String user) {
        TestBroker.Response r = b.post(user, "/api/http-sessions", "{\"target\":\"" + TARGET + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    HttpResponse<byte[]> send(String ticket, String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(b.url() + path)).timeout(Duration.ofSeconds(20))
                .header(HttpProxyHandler.TICKET_HEADER, ticket)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) rb.header(headers[i], headers[i + 1]);
        return http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String ticket, String path) throws Exception {
        return send(ticket, "GET", path, null);
    }

    static boolean containsJpeg(byte[] b) {
        for (int i = 0; i + 2 < b.length; i++) if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD8 && (b[i + 2] & 0xff) == 0xFF) return true;
        return false;
    }

    @Test
    void settingsChangeAndFirmwareUploadPassWithTheInjectedDigestCredential() throws Exception {
        approvedRequest("tech");
        String ticket = openSession("tech").get("ticket").asText();
        HttpResponse<byte[]> page = get(ticket, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("/js/admin.js");
        HttpResponse<byte[]> upd = get(ticket, "/axis-cgi/param.cgi?action=update&focus.mode=manual");
        assertThat(new String(upd.body(), StandardCharsets.UTF_8)).isEqualTo("OK\n");
        assertThat(camera.config("focus.mode")).isEqualTo("manual");
        byte[] firmware = new byte[3 * 1024 * 1024];
        new java.util.Random(1).nextBytes(firmware);
        HttpResponse<byte[]> fw = send(ticket, "POST", "/axis-cgi/firmwareupgrade.cgi", firmware, "Content-Type", "application/octet-stream");
        assertThat(fw.statusCode()).isEqualTo(200);
        assertThat(web.firmwareUploads()).containsExactly((long) firmware.length);
        assertThat(web.requestLog()).allSatisfy(l -> assertThat(l).endsWith(" Digest"));
    }

    static Stream<Arguments> imagePaths() {
        String soap = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><trt:%s xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\">"
                + "<trt:ProfileToken>profile_1</trt:ProfileToken></trt:%s></s:Body></s:Envelope>";
        return Stream.of(
                Arguments.of("GET", "/axis-cgi/jpg/image.cgi", null, DefaultCameraHttpGuard.RULE_SNAPSHOT),
                Arguments.of("GET", "/axis-cgi/jpg/image.cgi?resolution=1920x1080", null, DefaultCameraHttpGuard.RULE_SNAPSHOT),
                Arguments.of("GET", "/axis-cgi/mjpg/video.cgi", null, DefaultCameraHttpGuard.RULE_MJPEG),
                Arguments.of("GET", "/axis-cgi/record/export.cgi?recordingid=1", null, DefaultCameraHttpGuard.RULE_VIDEO_EXPORT),
                Arguments.of("GET", "/axis-cgi/admin/backup.cgi", null, DefaultCameraHttpGuard.RULE_BACKUP),
                Arguments.of("GET", "/images/traveller-0001.png", null, DefaultCameraHttpGuard.RULE_MEDIA_EXTENSION),
                Arguments.of("GET", "/docs/notes.txt", null, DefaultCameraHttpGuard.RULE_BODY),
                Arguments.of("GET", "/axis-cgi/thumbnail.cgi", null, DefaultCameraHttpGuard.RULE_BODY),
                Arguments.of("POST", "/onvif/media_service", soap.formatted("GetSnapshotUri", "GetSnapshotUri"), DefaultCameraHttpGuard.RULE_ONVIF_MEDIA),
                Arguments.of("POST", "/onvif/media_service", soap.formatted("GetStreamUri", "GetStreamUri"), DefaultCameraHttpGuard.RULE_ONVIF_MEDIA));
    }

    @ParameterizedTest(name = "{0} {1} is blocked by {3}")
    @MethodSource("imagePaths")
    void everyWayToAnImageIsBlockedWithAPageNamingTheRule(String method, String path, String body, String rule) throws Exception {
        approvedRequest("tech");
        String ticket = openSession("tech").get("ticket").asText();
        HttpResponse<byte[]> r = send(ticket, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", body == null ? "text/plain" : "application/soap+xml");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue(HttpProxyHandler.RULE_HEADER)).contains(rule);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("blocked by Sallyport", rule);
        assertThat(containsJpeg(r.body())).isFalse();
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.get("inspector", "/api/audit?action=session.http-blocked").body().contains(rule));
    }

    @Test
    void theSameCameraStillWorksAfterABlockAndTheSnapshotNeverReachesTheClient() throws Exception {
        approvedRequest("tech");
        String ticket = openSession("tech").get("ticket").asText();
        List<byte[]> received = new ArrayList<>();
        for (Object[] a : imagePaths().map(Arguments::get).toList()) {
            received.add(send(ticket, (String) a[0], (String) a[1], a[2] == null ? null : ((String) a[2]).getBytes(), "Content-Type",
                    a[2] == null ? "text/plain" : "application/soap+xml").body());
        }
        received.add(get(ticket, "/axis-cgi/param.cgi?action=list").body());
        String snapshotHex = HexFormat.of().formatHex(web.snapshot(), 0, 64);
        for (byte[] r : received) {
            assertThat(containsJpeg(r)).isFalse();
            assertThat(HexFormat.of().formatHex(r)).doesNotContain(snapshotHex);
        }
        assertThat(new String(received.getLast(), StandardCharsets.UTF_8)).contains("root.focus.mode=");
    }

    @Test
    void theDeviceCredentialIsNeverVisibleAndTheBrowsersIsStripped() throws Exception {
        approvedRequest("tech");
        String ticket = openSession("tech").get("ticket").asText();
        HttpResponse<byte[]> r = send(ticket, "GET", "/axis-cgi/param.cgi?action=list", null,
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("root:guess".getBytes()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("WWW-Authenticate"));
        String all = r.headers().map().toString() + new String(r.body(), StandardCharsets.UTF_8);
        assertThat(all).doesNotContain(DEVICE_PASSWORD);
        assertThat(web.requestLog()).allSatisfy(l -> assertThat(l).endsWith(" Digest"));
        assertThat(b.get("tech", "/api/targets").body()).doesNotContain(DEVICE_PASSWORD);
    }

    @Test
    void noGrantNoSessionAndOnlyTheGranteeGetsOne() throws Exception {
        TestBroker.Response none = b.post("tech", "/api/http-sessions", "{\"target\":\"" + TARGET + "\"}");
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body()).contains("no approved session for tech on " + TARGET);
        approvedRequest("tech");
        assertThat(b.post("tech2", "/api/http-sessions", "{\"target\":\"" + TARGET + "\"}").status()).isEqualTo(403);
        assertThat(b.post("supervisor", "/api/http-sessions", "{\"target\":\"" + TARGET + "\"}").status()).isEqualTo(403);
        HttpResponse<byte[]> forged = get("not-a-ticket", "/axis-cgi/param.cgi?action=list");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue(HttpProxyHandler.RULE_HEADER)).contains(HttpProxyHandler.RULE_NO_SESSION);
        assertThat(web.requestLog()).isEmpty();
    }

    @Test
    void revocationTerminateAndTheWindowEndEndTheSession() throws Exception {
        String req = approvedRequest("tech");
        JsonNode s1 = openSession("tech");
        assertThat(get(s1.get("ticket").asText(), "/").statusCode()).isEqualTo(200);
        // supervisor terminates
        assertThat(b.post("supervisor", "/api/sessions/" + s1.get("id").asText() + "/terminate", "{}").status()).isEqualTo(200);
        assertThat(get(s1.get("ticket").asText(), "/").statusCode()).isEqualTo(403);
        // window end
        JsonNode s2 = openSession("tech");
        assertThat(get(s2.get("ticket").asText(), "/").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(31));
        await().atMost(5, TimeUnit.SECONDS).until(() -> get(s2.get("ticket").asText(), "/").statusCode() == 403);
        clock.advance(Duration.ofMinutes(-31));
        // revocation
        JsonNode s3 = openSession("tech");
        assertThat(b.post("supervisor", "/api/requests/" + req + "/revoke", "{\"comment\":\"done\"}").status()).isEqualTo(200);
        await().atMost(5, TimeUnit.SECONDS).until(() -> get(s3.get("ticket").asText(), "/").statusCode() == 403);
        String sessions = b.get("supervisor", "/api/sessions").body();
        assertThat(sessions).contains("terminated-by-supervisor", "expired", "revoked");
    }

    @Test
    void otherHostsAndPortsAreNeverReached() throws Exception {
        approvedRequest("tech");
        String ticket = openSession("tech").get("ticket").asText();
        try (Socket s = new Socket("127.0.0.1", b.broker().httpPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET http://127.0.0.1:554/axis-media/media.amp HTTP/1.1\r\nHost: 127.0.0.1:554\r\n" + HttpProxyHandler.TICKET_HEADER
                    + ": " + ticket + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String resp = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(resp).startsWith("HTTP/1.1 403").contains(HttpProxyHandler.RULE_ABSOLUTE_URI);
        }
        assertThat(web.requestLog()).isEmpty();
    }

    @Test
    void webSocketEventsFlowThroughAndAreRecorded() throws Exception {
        approvedRequest("tech");
        JsonNode s = openSession("tech");
        String ticket = s.get("ticket").asText();
        assertThat(get(ticket, "/").statusCode()).isEqualTo(200); // the page first, as a browser does
        CompletableFuture<String> pong = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().header(HttpProxyHandler.TICKET_HEADER, ticket)
                .buildAsync(URI.create(b.url().replace("http:", "ws:") + "/ws/events"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        if (data.toString().equals("pong")) pong.complete("pong");
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("ping", true);
        assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("pong");
        ws.abort();
    }

    @Test
    void theRecordingHoldsEveryExchangeByteForByteIncludingBlockedBytes() throws Exception {
        approvedRequest("tech");
        JsonNode s = openSession("tech");
        String ticket = s.get("ticket").asText();
        get(ticket, "/axis-cgi/param.cgi?action=list");
        get(ticket, "/axis-cgi/jpg/image.cgi");
        get(ticket, "/docs/notes.txt");
        assertThat(b.post("tech", "/api/http-sessions/" + s.get("id").asText() + "/close", "{}").status()).isEqualTo(200);
        Path file = Broker.recordingsDir(b.dataDir).resolve(s.get("recordingId").asText() + ".sprec");
        Map<String, byte[]> keks = keks();
        VerifyingKey key = VerifyingKey.fromPem(Files.readString(Broker.publicKeyFile(b.dataDir)));
        try (FileRecordingSource src = FileRecordingSource.open(file)) {
            VerificationResult v = RecordingVerifier.verify(src, keks, key);
            assertThat(v.complete()).as(v.message()).isTrue();
        }
        List<HttpRecordingIndex.Exchange> xs;
        try (RecordingReader r = RecordingReader.open(FileRecordingSource.open(file), keks)) {
            assertThat(HttpRecordingIndex.isHttp(r.header().header().attributes())).isTrue();
            xs = HttpRecordingIndex.read(r);
        }
        assertThat(xs).extracting(HttpRecordingIndex.Exchange::path).containsExactly("/axis-cgi/param.cgi", "/axis-cgi/jpg/image.cgi", "/docs/notes.txt");
        assertThat(xs).extracting(HttpRecordingIndex.Exchange::verdict).containsExactly("pass", "block", "block");
        assertThat(new String(xs.get(0).body(true), StandardCharsets.UTF_8)).contains("root.focus.mode=auto");
        assertThat(xs.get(2).body(true)).as("the blocked image is evidence in the recording").isEqualTo(web.snapshot());
        String recordedRequest = new String(xs.get(0).request(), StandardCharsets.ISO_8859_1);
        assertThat(recordedRequest).startsWith("GET /axis-cgi/param.cgi?action=list HTTP/1.1\r\n")
                .contains(HttpProxyHandler.TICKET_HEADER + ": [redacted]").doesNotContain(ticket);

        // The inspector's view: the CLI lists the exchanges and refuses a terminal export.
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        var cl = org.sallyport.broker.cli.Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        assertThat(cl.execute("recording", "play", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("/axis-cgi/param.cgi?action=list", "/axis-cgi/jpg/image.cgi", "camera.snapshot",
                "/docs/notes.txt", "http.body-media");
        assertThat(cl.execute("recording", "export", "--asciicast", dir.resolve("x.cast").toString(), file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("HTTP session has no terminal");
        assertThat(dir.resolve("x.cast")).doesNotExist();
    }

    Map<String, byte[]> keks() {
        byte[] kek = KeyFiles.loadOrCreateSecret(Broker.recordingKekFile(b.dataDir), 32);
        return Map.of(org.sallyport.broker.gateway.SessionRecordings.kekId(kek), kek);
    }
}
