package org.sallyport.recorder.siem;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sallyport.recorder.audit.AuditEvent;

/**
 * RFC 5424 syslog messages for audit events, framed for TCP/TLS by octet counting (RFC 5425 section 4.3):
 * {@code MSG-LEN SP <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [sallyport@32473 seq hash actor object] BOM OCSF-JSON}.
 *
 * <p>Facility 13 (log audit). Severity from the OCSF severity: 1 → 6 informational, 2 → 5 notice, 3 → 4 warning,
 * 4 → 3 error. MSGID is the action, cut to 32 printable ASCII characters. Stateless and thread-safe.
 */
public final class Syslog {
    /** Private enterprise number placeholder used in the SD-ID (RFC 5424 section 7.2.2: example PEN 32473). */
    public static final String SD_ID = "sallyport@32473";
    static final int FACILITY_LOG_AUDIT = 13;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Syslog() {}

    /** One RFC 5424 message (without framing). */
    public static String message(AuditEvent e, String hostname, String appName) {
        Ocsf.Classification c = Ocsf.classify(e);
        int severity = switch (c.severityId()) {
            case 1 -> 6;
            case 2 -> 5;
            case 3 -> 4;
            default -> 3;
        };
        int pri = FACILITY_LOG_AUDIT * 8 + severity;
        StringBuilder b = new StringBuilder(512);
        b.append('<').append(pri).append(">1 ").append(TIME.format(e.time())).append(' ')
                .append(token(hostname, 255)).append(' ').append(token(appName, 48)).append(" - ")
                .append(token(e.action(), 32)).append(' ');
        b.append('[').append(SD_ID)
                .append(" seq=\"").append(e.seq()).append('"')
                .append(" hash=\"").append(param(e.hash())).append('"')
                .append(" actor=\"").append(param(e.actor())).append('"')
                .append(" object=\"").append(param(e.objectType() + (e.objectId() == null ? "" : ":" + e.objectId()))).append('"')
                .append(']');
        b.append(' ').append('\uFEFF').append(Ocsf.toJson(e, appName));
        return b.toString();
    }

    /** {@code MSG-LEN SP MSG} in UTF-8 (RFC 5425 octet counting). */
    public static byte[] frame(String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] len = (msg.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[len.length + msg.length];
        System.arraycopy(len, 0, out, 0, len.length);
        System.arraycopy(msg, 0, out, len.length, msg.length);
        return out;
    }

    /** PRINTUSASCII without spaces, at most {@code max} characters; "-" (NILVALUE) if empty. */
    static String token(String s, int max) {
        if (s == null || s.isEmpty()) return "-";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            b.append(ch >= 33 && ch <= 126 ? ch : '_');
        }
        return b.toString();
    }

    /** SD-PARAM value escaping: '"', '\' and ']' are escaped with '\' (RFC 5424 section 6.3.3). */
    static String param(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }
}
