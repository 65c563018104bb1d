package org.sallyport.recorder.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.sallyport.recorder.audit.AuditEvent;
import org.sallyport.recorder.audit.Checkpoint;

/** File names and the line encodings of EVIDENCE.md, shared by writer and verifier so both agree byte for byte. */
public final class EvidenceFormat {
    public static final String FORMAT = "sallyport-evidence-v1";
    public static final String EVIDENCE = "evidence.json";
    public static final String EVENTS = "events.jsonl";
    public static final String EVENTS_CSV = "events.csv";
    public static final String SEGMENT = "chain/segment.jsonl";
    public static final String CHECKPOINTS = "chain/checkpoints.jsonl";
    public static final String SESSIONS = "sessions.jsonl";
    public static final String BROKER_KEY = "broker-key.pem";
    public static final String MANIFEST = "MANIFEST.json";
    public static final String SIGNATURE = "MANIFEST.sig";
    public static final String RECORDINGS = "recordings/";
    /** HPKE {@code info} for a recording's data key sealed to the inspector. */
    public static final String DEK_INFO = "sallyport-evidence-dek-v1";
    /** Domain prefix of the bytes the detached signature covers. */
    public static final String SIGNATURE_DOMAIN = "sallyport-evidence-manifest-v1\n";
    public static final String CSV_HEADER = "seq,time,actor,action,objectType,objectId,details,prevHash,hash";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private EvidenceFormat() {}

    public static String sprecPath(String recordingId) {
        return RECORDINGS + recordingId + ".sprec";
    }

    public static String keyPath(String recordingId) {
        return RECORDINGS + recordingId + ".key.hpke";
    }

    public static String manifestPath(String recordingId) {
        return RECORDINGS + recordingId + ".manifest.json";
    }

    /** Time with exactly six fractional digits, UTC. */
    public static String time(Instant t) {
        return TIME.format(t);
    }

    static Instant parseTime(String field, JsonNode n) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException(field + " is missing or not text");
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 instant: " + v.asText());
        }
    }

    // ---- events ----

    public static String eventLine(AuditEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", e.seq());
        n.put("time", time(e.time()));
        n.put("actor", e.actor());
        n.put("action", e.action());
        n.put("objectType", e.objectType());
        if (e.objectId() == null) n.putNull("objectId");
        else n.put("objectId", e.objectId());
        ObjectNode d = n.putObject("details");
        e.details().forEach(d::put);
        n.put("prevHash", e.prevHash());
        n.put("hash", e.hash());
        return write(n);
    }

    public static AuditEvent parseEvent(String line) {
        JsonNode n = read(line);
        Map<String, String> details = new TreeMap<>();
        JsonNode d = n.get("details");
        if (d == null || !d.isObject()) throw new IllegalArgumentException("details is missing or not an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!f.getValue().isTextual()) throw new IllegalArgumentException("details[" + f.getKey() + "] is not text");
            details.put(f.getKey(), f.getValue().asText());
        }
        JsonNode oid = n.get("objectId");
        return new AuditEvent(number(n, "seq"), parseTime("time", n), text(n, "actor"), text(n, "action"),
                text(n, "objectType"), oid == null || oid.isNull() ? null : oid.asText(), details,
                text(n, "prevHash"), text(n, "hash"));
    }

    /** One CSV record (RFC 4180, CRLF), cells that a spreadsheet would run as a formula prefixed with {@code '}. */
    public static String csvLine(AuditEvent e) {
        StringBuilder b = new StringBuilder(256);
        b.append(e.seq()).append(',');
        cell(b, time(e.time())).append(',');
        cell(b, e.actor()).append(',');
        cell(b, e.action()).append(',');
        cell(b, e.objectType()).append(',');
        cell(b, e.objectId() == null ? "" : e.objectId()).append(',');
        ObjectNode d = JSON.createObjectNode();
        e.details().forEach(d::put);
        cell(b, write(d)).append(',');
        cell(b, e.prevHash()).append(',');
        cell(b, e.hash()).append("\r\n");
        return b.toString();
    }

    private static StringBuilder cell(StringBuilder b, String v) {
        String s = v;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s; // CSV injection (OWASP)
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        if (!quote) return b.append(s);
        return b.append('"').append(s.replace("\"", "\"\"")).append('"');
    }

    // ---- checkpoints ----

    public static String checkpointLine(Checkpoint c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", c.seq());
        n.put("headHash", c.headHash());
        n.put("time", time(c.time()));
        n.put("keyId", c.keyId());
        n.put("signature", c.signature());
        return write(n);
    }

    public static Checkpoint parseCheckpoint(String line) {
        JsonNode n = read(line);
        return new Checkpoint(number(n, "seq"), text(n, "headHash"), parseTime("time", n), text(n, "keyId"), text(n, "signature"));
    }

    // ---- sessions ----

    public static String sessionLine(SessionEntry s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sessionId", s.sessionId());
        n.put("user", s.user());
        n.put("org", s.org());
        n.put("targetId", s.targetId());
        n.put("site", s.site());
        n.put("kind", s.kind());
        n.put("requestId", s.requestId());
        n.put("grantId", s.grantId());
        n.put("startedAt", time(s.startedAt()));
        if (s.endedAt() == null) n.putNull("endedAt");
        else n.put("endedAt", time(s.endedAt()));
        n.put("endReason", s.endReason());
        n.put("bytesIn", s.bytesIn());
        n.put("bytesOut", s.bytesOut());
        n.put("recordingId", s.recordingId());
        n.put("recordingHead", s.recordingHead());
        n.put("startedSeq", s.startedSeq());
        n.put("endedSeq", s.endedSeq());
        return write(n);
    }

    public static SessionEntry parseSession(String line) {
        JsonNode n = read(line);
        JsonNode ended = n.get("endedAt");
        return new SessionEntry(text(n, "sessionId"), opt(n, "user"), opt(n, "org"), opt(n, "targetId"), opt(n, "site"),
                opt(n, "kind"), opt(n, "requestId"), opt(n, "grantId"), parseTime("startedAt", n),
                ended == null || ended.isNull() ? null : parseTime("endedAt", n), opt(n, "endReason"),
                n.path("bytesIn").asLong(), n.path("bytesOut").asLong(), opt(n, "recordingId"), opt(n, "recordingHead"),
                n.path("startedSeq").asLong(), n.path("endedSeq").asLong());
    }

    // ---- plumbing ----

    /** Length-prefixed concatenation (u32 length + UTF-8), as {@code str()} in AUDIT.md. */
    static byte[] strs(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON encoding of an in-memory tree failed", e);
        }
    }

    static JsonNode read(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException(field + " is missing or not text");
        return v.asText();
    }

    static String opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) throw new IllegalArgumentException(field + " is missing or not an integer");
        return v.asLong();
    }
}
