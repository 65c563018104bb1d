package org.sallyport.broker.httpproxy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.sallyport.policy.detect.Detection;
import org.sallyport.policy.detect.DetectorChain;
import org.sallyport.policy.detect.DetectorConfig;
import org.sallyport.policy.detect.ExportDetectors;

/**
 * The built-in rule set for IP-camera web UIs: configuration, health and firmware upload pass; every way an image or
 * a video leaves the camera is blocked. Rules, in the order they are asked:
 *
 * <table>
 * <caption>Rules</caption>
 * <tr><td>{@value #RULE_METHOD}</td><td>only GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS</td></tr>
 * <tr><td>{@value #RULE_SNAPSHOT}</td><td>snapshot CGIs and paths (VAPIX {@code /axis-cgi/jpg/}, {@code snapshot}, ...)</td></tr>
 * <tr><td>{@value #RULE_MJPEG}</td><td>MJPEG and live-stream CGIs ({@code /axis-cgi/mjpg/}, {@code video.cgi}, ...)</td></tr>
 * <tr><td>{@value #RULE_VIDEO_EXPORT}</td><td>recording export/playback/download CGIs</td></tr>
 * <tr><td>{@value #RULE_BACKUP}</td><td>configuration backups</td></tr>
 * <tr><td>{@value #RULE_MEDIA_EXTENSION}</td><td>paths ending in an image or video file extension</td></tr>
 * <tr><td>{@value #RULE_ONVIF_MEDIA}</td><td>ONVIF SOAP actions that hand out media: GetSnapshotUri, GetStreamUri, ...</td></tr>
 * <tr><td>{@value #RULE_MEDIA_TYPE}</td><td>responses declared image/*, video/*, audio/*, multipart/x-mixed-replace</td></tr>
 * <tr><td>{@value #RULE_ATTACHMENT}</td><td>responses sent as a download ({@code Content-Disposition: attachment})</td></tr>
 * <tr><td>{@value #RULE_BODY}</td><td>any response body that is image, video or an archive by its bytes, whatever
 * its declared type (policy-rules export detectors; the reason names the detector)</td></tr>
 * </table>
 *
 * <p>Restrictions: path rules are a first line that names the intent; the byte detectors are what make the rule
 * set hold against a renamed or re-typed image. Request bodies are not inspected for media (uploads do not export).
 */
public final class DefaultCameraHttpGuard implements HttpGuard {
    public static final String RULE_METHOD = "http.method";
    public static final String RULE_SNAPSHOT = "camera.snapshot";
    public static final String RULE_MJPEG = "camera.mjpeg";
    public static final String RULE_VIDEO_EXPORT = "camera.video-export";
    public static final String RULE_BACKUP = "camera.config-backup";
    public static final String RULE_MEDIA_EXTENSION = "camera.media-file";
    public static final String RULE_ONVIF_MEDIA = "camera.onvif-media-uri";
    public static final String RULE_MEDIA_TYPE = "http.media-content-type";
    public static final String RULE_ATTACHMENT = "http.download";
    public static final String RULE_BODY = "http.body-media";
    public static final String RULE_ALLOW = "camera.admin-ui";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private record PathRule(String id, Pattern pattern, String reason) {}

    private static final List<PathRule> PATH_RULES = List.of(
            new PathRule(RULE_SNAPSHOT, Pattern.compile("/axis-cgi/jpg/|snapshot|/image\\.cgi|/still|/cgi-bin/.*(?:jpg|image)|/isapi/streaming/channels/\\d+/picture"),
                    "camera snapshots may not leave the camera"),
            new PathRule(RULE_MJPEG, Pattern.compile("/axis-cgi/mjpg/|mjpe?g|video\\.cgi|/axis-media/|/isapi/streaming/channels/\\d+/httppreview|/live"),
                    "live video may not leave the camera"),
            new PathRule(RULE_VIDEO_EXPORT, Pattern.compile("/axis-cgi/record/|/axis-cgi/playclip|export|/recordings?/|/playback|/download"),
                    "recordings and video downloads may not leave the camera"),
            new PathRule(RULE_BACKUP, Pattern.compile("backup|configexport|/config/?download|/serverreport"),
                    "configuration backups may not leave the camera"),
            new PathRule(RULE_MEDIA_EXTENSION, Pattern.compile("\\.(?:jpe?g|png|gif|bmp|tiff?|webp|heic|mp4|m4v|mov|mkv|avi|h26[45]|mjpg|ts|webm|3gp|asf)$"),
                    "image and video files may not leave the camera"));

    /** SOAP actions (ONVIF media, media2, replay, imaging, recording search) that hand out media or media URIs. */
    private static final Pattern ONVIF_MEDIA = Pattern.compile("Get(?:Snapshot|Stream|Replay)Uri|GetImage|StartMulticastStreaming|ExportRecordedData|GetMediaAttributes");

    private final DetectorConfig detectors;

    public DefaultCameraHttpGuard() {
        // No volume cap inside one body: the session's cap is the proxy's (HttpProxyConfig.maxResponseBytesPerSession).
        this.detectors = DetectorConfig.withDefaults().withMaxOutputBytes(Long.MAX_VALUE);
    }

    @Override
    public Verdict request(Request r, byte[] body) {
        if (!METHODS.contains(r.method().toUpperCase(Locale.ROOT))) {
            return Verdict.block(RULE_METHOD, "method " + r.method() + " is not allowed through the proxy");
        }
        String target = (r.path() + (r.query().isEmpty() ? "" : "?" + r.query())).toLowerCase(Locale.ROOT);
        String path = r.path().toLowerCase(Locale.ROOT);
        for (PathRule rule : PATH_RULES) {
            String subject = rule.id().equals(RULE_MEDIA_EXTENSION) ? path : target;
            if (rule.pattern().matcher(subject).find()) return Verdict.block(rule.id(), rule.reason());
        }
        if (r.soapAction() != null && ONVIF_MEDIA.matcher(r.soapAction()).find()) {
            return Verdict.block(RULE_ONVIF_MEDIA, "ONVIF " + r.soapAction() + " hands out camera media");
        }
        return Verdict.pass(RULE_ALLOW);
    }

    @Override
    public ResponseInspection response(Request request, int status, String contentType, String contentDisposition) {
        return new Inspection(contentType, contentDisposition);
    }

    private final class Inspection implements ResponseInspection {
        private final String contentType;
        private final String disposition;
        private final DetectorChain chain = ExportDetectors.outputChain(detectors);

        Inspection(String contentType, String disposition) {
            this.contentType = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).trim();
            this.disposition = disposition == null ? "" : disposition.toLowerCase(Locale.ROOT).trim();
        }

        @Override
        public Verdict head() {
            if (contentType.startsWith("image/") || contentType.startsWith("video/") || contentType.startsWith("audio/")
                    || contentType.startsWith("multipart/x-mixed-replace") || contentType.startsWith("application/vnd.apple.mpegurl")
                    || contentType.startsWith("application/x-mpegurl") || contentType.startsWith("application/dash+xml")) {
                return Verdict.block(RULE_MEDIA_TYPE, "responses of type " + contentType.split(";")[0] + " may not leave the camera");
            }
            if (disposition.startsWith("attachment")) {
                return Verdict.block(RULE_ATTACHMENT, "file downloads from the camera are not allowed");
            }
            return Verdict.pass(RULE_ALLOW);
        }

        @Override
        public Verdict body(byte[] data, int off, int len) {
            Optional<Detection> d = chain.feed(data, off, len);
            return d.map(x -> Verdict.block(RULE_BODY, "the body is " + x.detectorId() + " (" + x.reason() + ") at byte " + x.offset()))
                    .orElse(Verdict.pass(RULE_ALLOW));
        }

        @Override
        public Verdict finish() {
            return Verdict.pass(RULE_ALLOW);
        }
    }
}
