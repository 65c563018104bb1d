package org.sallyport.broker.httpproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The built-in camera rules as a decision table, without a network. */
class DefaultCameraHttpGuardTest {
    private final DefaultCameraHttpGuard guard = new DefaultCameraHttpGuard();

    private static HttpGuard.Request req(String method, String path, String query, String soap) {
        return new HttpGuard.Request(method, path, query, null, soap);
    }

    @ParameterizedTest(name = "{0} {1}?{2} -> {4}")
    @CsvSource(nullValues = "-", value = {
            "GET, /, '', -, camera.admin-ui",
            "GET, /axis-cgi/param.cgi, action=list, -, camera.admin-ui",
            "GET, /axis-cgi/param.cgi, action=update&focus.mode=manual, -, camera.admin-ui",
            "POST, /axis-cgi/firmwareupgrade.cgi, '', -, camera.admin-ui",
            "POST, /onvif/device_service, '', GetDeviceInformation, camera.admin-ui",
            "GET, /axis-cgi/jpg/image.cgi, '', -, camera.snapshot",
            "GET, /ISAPI/Streaming/channels/101/picture, '', -, camera.snapshot",
            "GET, /cgi-bin/snapshot.cgi, channel=1, -, camera.snapshot",
            "GET, /axis-cgi/mjpg/video.cgi, fps=5, -, camera.mjpeg",
            "GET, /axis-cgi/record/export.cgi, recordingid=7, -, camera.video-export",
            "GET, /axis-cgi/admin/backup.cgi, '', -, camera.config-backup",
            "GET, /IMAGES/Traveller-0001.JPG, '', -, camera.media-file",
            "GET, /clips/lane3.MP4, '', -, camera.media-file",
            "POST, /onvif/media_service, '', GetSnapshotUri, camera.onvif-media-uri",
            "POST, /onvif/media2_service, '', GetStreamUri, camera.onvif-media-uri",
            "POST, /onvif/replay_service, '', GetReplayUri, camera.onvif-media-uri",
            "TRACE, /, '', -, http.method",
            "CONNECT, /, '', -, http.method"})
    void requests(String method, String path, String query, String soap, String rule) {
        HttpGuard.Verdict v = guard.request(req(method, path, query, soap), new byte[0]);
        assertThat(v.ruleId()).isEqualTo(rule);
        assertThat(v.blocked()).isEqualTo(!rule.equals(DefaultCameraHttpGuard.RULE_ALLOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/jpeg", "IMAGE/PNG; q=1", "video/mp4", "multipart/x-mixed-replace; boundary=x", "audio/aac",
            "application/vnd.apple.mpegurl"})
    void mediaContentTypesAreBlockedFromTheHead(String type) {
        var i = guard.response(req("GET", "/x", "", null), 200, type, null);
        assertThat(i.head().ruleId()).isEqualTo(DefaultCameraHttpGuard.RULE_MEDIA_TYPE);
    }

    @Test
    void attachmentsAreDownloadsAndBlocked() {
        var i = guard.response(req("GET", "/x", "", null), 200, "application/octet-stream", "attachment; filename=cfg.bin");
        assertThat(i.head().ruleId()).isEqualTo(DefaultCameraHttpGuard.RULE_ATTACHMENT);
    }

    static byte[] jpegLike() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0});
        b.writeBytes(new byte[4000]);
        return b.toByteArray();
    }

    @Test
    void aJpegDeclaredAsTextIsBlockedByItsBytesAtAnySplit() {
        byte[] body = jpegLike();
        for (int split = 0; split <= 12; split++) {
            var i = guard.response(req("GET", "/docs/notes.txt", "", null), 200, "text/plain", null);
            assertThat(i.head().blocked()).isFalse();
            HttpGuard.Verdict a = i.body(body, 0, split);
            HttpGuard.Verdict b = a.blocked() ? a : i.body(body, split, body.length - split);
            assertThat(b.ruleId()).as("split at " + split).isEqualTo(DefaultCameraHttpGuard.RULE_BODY);
            assertThat(b.reason()).contains("image.jpeg");
        }
    }

    @Test
    void aBase64JpegInsideJsonIsBlocked() {
        String json = "{\"thumb\":\"" + Base64.getEncoder().encodeToString(jpegLike()) + "\"}";
        var i = guard.response(req("GET", "/api/thumb", "", null), 200, "application/json", null);
        byte[] b = json.getBytes(StandardCharsets.US_ASCII);
        assertThat(i.body(b, 0, b.length).blocked()).isTrue();
    }

    @Test
    void ordinaryAdminPagesPass() {
        var i = guard.response(req("GET", "/", "", null), 200, "text/html", null);
        byte[] b = "<html><body><h1>Settings</h1><form><input name=focus.mode value=auto></form></body></html>".repeat(50)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(i.head().blocked()).isFalse();
        assertThat(i.body(b, 0, b.length).blocked()).isFalse();
        assertThat(i.finish().blocked()).isFalse();
    }

    @Test
    void allOfBlocksWhenAnyGuardBlocksAndNamesThatRule() {
        HttpGuard policyLike = new HttpGuard() {
            @Override
            public Verdict request(Request r, byte[] body) {
                return r.path().startsWith("/axis-cgi/param.cgi") ? Verdict.pass("policy.cam-config") : Verdict.block("policy.default-deny", "no rule");
            }

            @Override
            public ResponseInspection response(Request r, int status, String ct, String cd) {
                return new ResponseInspection() {
                    public Verdict head() { return Verdict.pass("policy.cam-config"); }
                    public Verdict body(byte[] d, int o, int l) { return Verdict.pass("policy.cam-config"); }
                    public Verdict finish() { return Verdict.pass("policy.cam-config"); }
                };
            }
        };
        HttpGuard both = HttpGuards.allOf(policyLike, guard);
        assertThat(both.request(req("GET", "/axis-cgi/param.cgi", "action=list", null), new byte[0]).ruleId()).isEqualTo("policy.cam-config");
        assertThat(both.request(req("GET", "/other", "", null), new byte[0]).ruleId()).isEqualTo("policy.default-deny");
        var i = both.response(req("GET", "/axis-cgi/param.cgi", "", null), 200, "text/plain", null);
        byte[] jpeg = jpegLike();
        assertThat(i.body(jpeg, 0, jpeg.length).ruleId()).isEqualTo(DefaultCameraHttpGuard.RULE_BODY);
    }
}
